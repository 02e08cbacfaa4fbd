// @vitest-environment jsdom
// The lab's views, rendered in Node with jsdom: what each draws for given data. Canvases are not
// painted here (jsdom has no 2-D context); their size and label are checked, and the browser tests
// look at their pixels.
import {describe, expect, it} from "vitest";
import {CheckpointControls} from "../../src/components/checkpointControls.ts";
import {SweepChart, sweepSummary, type SweepRow} from "../../src/components/betaSweep.ts";
import {select} from "../../src/components/dom.ts";
import {LabControls} from "../../src/components/labControls.ts";
import {LabLatentPlane, ManifoldGrid} from "../../src/components/labLatentPlane.ts";
import {LOSS_SERIES, LossChart, type LossPoint} from "../../src/components/lossChart.ts";
import {JensenFigure} from "../../src/components/jensen.ts";
import {RacePending} from "../../src/components/estimatorRace.ts";
import {ReconstructionGrid} from "../../src/components/reconstructionGrid.ts";
import {ROLE_COLORS} from "../../src/components/roles.ts";

// jsdom has no 2-D canvas context (it would log "Not implemented" for each canvas): say so quietly.
HTMLCanvasElement.prototype.getContext = (() => null) as typeof HTMLCanvasElement.prototype.getContext;

const history = (beta: number): LossPoint[] =>
  Array.from({length: 20}, (_, i) => {
    const reconstructionLoss = 200 - 5 * i;
    const kl = 5 + i / 2;
    return {step: i + 1, reconstructionLoss, kl, negElbo: reconstructionLoss + kl, loss: reconstructionLoss + beta * kl};
  });
const lines = (svg: Element) => svg.querySelectorAll('g[aria-label="line"] path').length;
/** An SVG's markup with every number rounded to one decimal, for a snapshot that survives float noise. */
const rounded = (node: Element) => node.outerHTML.replace(/-?\d+\.\d+/g, (n) => Number(n).toFixed(1));

describe("LossChart", () => {
  it("LossChart(history) at β = 1 draws two lines (−ELBO, reconstruction loss) and the KL on a second chart", () => {
    const [losses, kl] = LossChart(history(1), {width: 400}).querySelectorAll("svg[aria-label]");
    expect(lines(losses)).toBe(2);
    expect(lines(kl)).toBe(1);
    expect(losses.getAttribute("aria-label")).toBe("Loss curves over 20 steps: −ELBO 119.5, reconstruction loss 105.0 nats per image");
    expect(kl.getAttribute("aria-label")).toBe("KL(q ‖ p(z)) over 20 steps, now 14.50 nats per image");
  });

  it("LossChart(history) at β = 4 draws the training loss as a third line, named apart from the −ELBO", () => {
    const node = LossChart(history(4), {width: 400});
    const [losses] = node.querySelectorAll("svg[aria-label]");
    expect(lines(losses)).toBe(3);
    expect(losses.getAttribute("aria-label")).toContain("training loss 163.0");
    expect(node.textContent).toContain(LOSS_SERIES.loss);
    expect(node.textContent).toContain(LOSS_SERIES.negElbo);
  });

  it("LossChart(history, {heldOut}) marks each held-out −ELBO and KL with a dot", () => {
    const [losses, kl] = LossChart(history(1), {width: 400, heldOut: [{step: 10, negElbo: 150, kl: 10}, {step: 20, negElbo: 120, kl: 14}]}).querySelectorAll("svg[aria-label]");
    expect(losses.querySelectorAll('g[aria-label="dot"] circle')).toHaveLength(2);
    expect(kl.querySelectorAll('g[aria-label="dot"] circle')).toHaveLength(2);
  });

  it("LossChart(history) names the KL chart's line and dots in a legend of its own (training batches, held-out digits)", () => {
    const node = LossChart(history(1), {width: 400, heldOut: [{step: 10, negElbo: 150, kl: 10}]});
    const klFigure = node.children[1];
    expect(klFigure.textContent).toContain(LOSS_SERIES.kl);
    expect(klFigure.textContent).toContain(LOSS_SERIES.heldOutKl);
    expect(node.children[0].textContent).not.toContain(LOSS_SERIES.heldOutKl);
  });

  it("LossChart(history, {names: {heldOutKl}}) names the KL panel's dots as the page says (chapter 11: images, not digits)", () => {
    const node = LossChart(history(1), {width: 400, heldOut: [{step: 10, negElbo: 150, kl: 10}], names: {heldOutKl: "KL (held-out images)"}});
    const klFigure = node.children[1];
    expect(klFigure.textContent).toContain("KL (held-out images)");
    expect(klFigure.textContent).not.toContain(LOSS_SERIES.heldOutKl);
    expect(klFigure.querySelectorAll('g[aria-label="dot"] circle')).toHaveLength(1);
  });

  it("LossChart([]) says where the curves will appear", () => {
    expect(LossChart([]).textContent).toBe("The loss curves appear here once training starts.");
  });

  it("LossChart(history) matches its snapshot (numbers rounded)", () => {
    const [losses] = LossChart(history(2), {width: 400}).querySelectorAll("svg[aria-label]");
    expect(rounded(losses)).toMatchSnapshot();
  });
});

describe("the lab's other views", () => {
  it("ReconstructionGrid(originals, reconstructions, {step}) labels both rows, the second with its step", () => {
    const node = ReconstructionGrid(new Float32Array(10 * 784), new Float32Array(10 * 784), {step: 42});
    expect([...node.querySelectorAll("canvas")].map((c) => c.getAttribute("aria-label"))).toEqual(["Ten held-out test digits", "The model's reconstructions at step 42"]);
  });

  it("LabLatentPlane(means, labels) draws one dot per digit and says how many lie outside the manifold's square", () => {
    const means = Float32Array.from([0, 0, 1, -1, 5, 0]);
    const svg = LabLatentPlane(means, Uint8Array.from([3, 4, 5]), {step: 7, extent: 3}) as SVGSVGElement;
    const plot = svg.matches("svg") ? svg : (svg.querySelector("svg[aria-label]") as SVGSVGElement);
    expect(plot.querySelectorAll('g[aria-label="dot"] circle')).toHaveLength(3);
    expect(plot.getAttribute("aria-label")).toBe("The means of 3 held-out digits in the 2-D latent plane at step 7, coloured by digit; 1 lies outside the manifold's square ±3");
  });

  it("ManifoldGrid(images, {n: 12}) is one 336 × 336 canvas described for screen readers", () => {
    const canvas = ManifoldGrid(new Float32Array(144 * 784), {n: 12, extent: 3, step: 5});
    expect([canvas.width, canvas.height]).toEqual([336, 336]);
    expect(canvas.getAttribute("aria-label")).toMatch(/^The decoded manifold at step 5: the decoder's mean image for 12 × 12 codes/);
  });

  it("select(label, choices, initial) keeps each choice's key as its option value, so a URL stores values", () => {
    const s = select("Learning rate", [0.001, 0.01, 1].map((v) => ({label: String(v), value: v})), 0.01);
    expect([...s.input.options].map((o) => o.value)).toEqual(["0.001", "0.01", "1"]);
    expect(s.value()).toBe(0.01);
    s.input.value = "1";
    expect(s.value()).toBe(1);
    expect(() => select("x", [{label: "a", value: 1, key: "k"}, {label: "b", value: 2, key: "k"}], 1)).toThrow(/two choices share a key/);
  });

  it("LabControls(specs).setDisabled(names, true) greys out only the named controls", () => {
    const controls = LabControls({
      a: {label: "A", choices: [{label: "1", value: 1}], value: 1},
      b: {label: "B", choices: [{label: "2", value: 2}], value: 2}
    });
    controls.setDisabled(["a"], true);
    expect([controls.fields.a.input.disabled, controls.fields.b.input.disabled]).toEqual([true, false]);
    expect([...controls.querySelectorAll("label")].map((l) => l.textContent)).toEqual(["A", "B"]);
  });

  it("CheckpointControls(actions) calls the action of the button pressed, and setDisabled greys them all", () => {
    const pressed: string[] = [];
    const node = CheckpointControls({
      saveFile: () => pressed.push("file"),
      saveBrowser: () => pressed.push("browser"),
      loadBrowser: () => pressed.push("load"),
      loadShipped: () => pressed.push("shipped"),
      upload: () => pressed.push("upload")
    });
    [...node.querySelectorAll("button")].forEach((b) => b.click());
    expect(pressed).toEqual(["file", "browser", "load", "shipped"]);
    node.setDisabled(true);
    expect([...node.querySelectorAll("button, input")].every((b) => (b as HTMLButtonElement).disabled)).toBe(true);
  });

  it("SweepChart(rows) draws a bar of active units per β, and sweepSummary says each row in words", () => {
    const rows: SweepRow[] = [
      {beta: 0, negElbo: 120, reconstructionLoss: 90, kl: 30, active: 16},
      {beta: 32, negElbo: 200, reconstructionLoss: 199.5, kl: 0.5, active: 1}
    ];
    const node = SweepChart(rows, {betas: [0, 0.5, 2, 8, 32], latentDim: 16, width: 400});
    expect(node.querySelectorAll('g[aria-label="bar"] rect')).toHaveLength(2);
    expect(sweepSummary(rows, 16)).toBe("β = 0: 16 of 16 active, KL 30.0, reconstruction loss 90.0; β = 32: 1 of 16 active, KL 0.5, reconstruction loss 199.5");
    expect(node.querySelector("#beta-summary")?.textContent).toBe(`${sweepSummary(rows, 16)}.`);
  });
});

describe("JensenFigure", () => {
  const marks = (svg: Element) => [...svg.querySelectorAll('g[aria-label="dot"] circle')];
  it("JensenFigure({values, fOfMeanColor, meanOfFColor}) draws the log of the average as a ring and the average of the logs as a dot, in the colours given", () => {
    const svg = JensenFigure({values: [0.5, 1, 2], fOfMeanColor: ROLE_COLORS.data, meanOfFColor: ROLE_COLORS.q}) as Element;
    const circles = marks(svg);
    // Three points (outlined, no colour), then the ring, then the dot.
    const ring = circles.find((c) => c.getAttribute("stroke") === ROLE_COLORS.data)!;
    const dot = circles.find((c) => c.getAttribute("fill") === ROLE_COLORS.q)!;
    expect(ring.parentElement!.getAttribute("fill")).toBe("none");
    expect(Number(ring.getAttribute("r"))).toBeGreaterThan(Number(dot.getAttribute("r")));
    // log of the mean (7/6) is above the mean of the logs (0): the ring sits higher (smaller y).
    expect(Number(ring.getAttribute("cy"))).toBeLessThan(Number(dot.getAttribute("cy")));
    expect(svg.querySelector('g[aria-label="rule"][stroke="' + ROLE_COLORS.q + '"]')).not.toBeNull();
    // Each is named beside it, in its colour: the defaults here.
    const tags = [...svg.querySelectorAll('g[aria-label="text"]')].map((g) => [g.getAttribute("fill"), g.textContent]);
    expect(tags).toContainEqual([ROLE_COLORS.data, "log of avg."]);
    expect(tags).toContainEqual([ROLE_COLORS.q, "avg. of logs"]);
  });

  it("JensenFigure({values}) with all values equal (no gap) puts the ring around the dot, both drawn, the defaults green and red", () => {
    const svg = JensenFigure({values: [1, 1, 1, 1]}) as Element;
    const circles = marks(svg);
    const ring = circles.find((c) => c.getAttribute("stroke") === ROLE_COLORS.data)!;
    const dot = circles.find((c) => c.getAttribute("fill") === ROLE_COLORS.contrast)!;
    expect(ring.getAttribute("cx")).toBe(dot.getAttribute("cx"));
    expect(ring.getAttribute("cy")).toBe(dot.getAttribute("cy"));
    // The ring's inner edge (radius less half its stroke) lies outside the dot.
    expect(Number(ring.getAttribute("r")) - Number(ring.parentElement!.getAttribute("stroke-width")) / 2).toBeGreaterThan(Number(dot.getAttribute("r")));
  });
});

describe("RacePending", () => {
  it("RacePending(exact, samples) draws the exact gradient dashed at its value and says the estimates are being computed", () => {
    const svg = RacePending(3.062, 1000, {kind: "means"}) as Element;
    expect(svg.getAttribute("aria-label")).toBe("The exact gradient 3.062; the running means are being computed");
    const rule = svg.querySelector('g[aria-label="rule"] line')!;
    expect(rule.parentElement!.getAttribute("stroke-dasharray")).toBe("4 3");
    // The y axis spans exact ± 1, so the rule is at the middle of the plot's height.
    const ticks = [...svg.querySelectorAll('g[aria-label="y-axis tick label"] text')].map((t) => Number(t.textContent!.replace("−", "-")));
    expect(Math.min(...ticks)).toBeGreaterThanOrEqual(2.062 - 1e-9);
    expect(Math.max(...ticks)).toBeLessThanOrEqual(4.062 + 1e-9);
    const texts = [...svg.querySelectorAll('g[aria-label="text"] text')].map((t) => t.textContent);
    expect(texts).toContain("exact");
    expect(texts).toContain("computing the running means…");
  });

  it("RacePending(exact, samples, {kind: \"estimates\"}) has EstimateSpread's axis (the gradient across) with the exact value dashed on it", () => {
    const svg = RacePending(3.062, 1000, {kind: "estimates"}) as Element;
    expect(svg.getAttribute("aria-label")).toBe("The exact gradient 3.062; the single estimates are being computed");
    expect(svg.querySelector('g[aria-label="x-axis label"]')!.textContent).toContain("one single-sample gradient estimate");
    expect(svg.querySelector('g[aria-label="y-axis tick"]')).toBeNull();
    const rule = svg.querySelector('g[aria-label="rule"] line')!;
    expect(rule.getAttribute("x1")).toBe(rule.getAttribute("x2"));
    expect(rule.parentElement!.getAttribute("stroke-dasharray")).toBe("4 3");
  });
});

