import {expect} from "vitest";
import {claim} from "./claim.ts";
import {decodeMeans, encoderOutputs, mnist, shippedModel} from "./shipped.ts";

const page = "/chapters/08-generating";

// Independent references, in plain numbers: a seeded normal source, norms, the Bernoulli entropy of
// an image, the slerp formula, and the aggregate posterior's density as a direct sum.
function normals(seed: number): () => number {
  let state = seed >>> 0;
  const uniform = () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return (state + 0.5) / 2 ** 32;
  };
  return () => Math.sqrt(-2 * Math.log(uniform())) * Math.cos(2 * Math.PI * uniform());
}
const norm = (v: number[]) => Math.hypot(...v);
const mean = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;
const quantile = (xs: number[], q: number) => [...xs].sort((a, b) => a - b)[Math.floor(q * (xs.length - 1))];
function entropies(images: Float32Array, pixels = 784): number[] {
  return Array.from({length: images.length / pixels}, (_, n) => {
    let h = 0;
    for (let i = 0; i < pixels; i++) {
      const p = images[n * pixels + i];
      if (p > 0 && p < 1) h -= p * Math.log(p) + (1 - p) * Math.log(1 - p);
    }
    return h;
  });
}
const ink = (images: Float32Array, pixels = 784) => mean(Array.from({length: images.length / pixels}, (_, n) => images.subarray(n * pixels, (n + 1) * pixels).reduce((s, p) => s + p, 0)));
function slerp(a: number[], b: number[], t: number): number[] {
  const theta = Math.acos(a.reduce((s, v, i) => s + v * b[i], 0) / (norm(a) * norm(b)));
  return a.map((v, i) => (Math.sin((1 - t) * theta) * v + Math.sin(t * theta) * b[i]) / Math.sin(theta));
}
const inPlane = (r: number, degrees: number) => [r * Math.cos((degrees * Math.PI) / 180), r * Math.sin((degrees * Math.PI) / 180)];
/** The share of `draws` prior codes where the mixture of the encoder's Gaussians is below a tenth of N(0, I) (2-D). */
function holeShare(mixture: {mean: number[][]; sd: number[][]}, draws: number, seed: number): number {
  const g = normals(seed);
  let inHole = 0;
  for (let d = 0; d < draws; d++) {
    const [x, y] = [g(), g()];
    let q = 0;
    for (let k = 0; k < mixture.mean.length; k++) {
      const [sx, sy] = mixture.sd[k];
      q += Math.exp(-0.5 * (((x - mixture.mean[k][0]) / sx) ** 2 + ((y - mixture.mean[k][1]) / sy) ** 2)) / (2 * Math.PI * sx * sy);
    }
    q /= mixture.mean.length;
    const p = Math.exp(-0.5 * (x * x + y * y)) / (2 * Math.PI);
    if (q < p / 10) inHole++;
  }
  return inHole / draws;
}
/** One z = μ + σ·ε per test digit, and its norm. */
const sampleNorms = (e: {mean: number[][]; sd: number[][]}, seed: number) => {
  const g = normals(seed);
  return e.mean.map((m, i) => norm(m.map((v, d) => v + e.sd[i][d] * g())));
};

export const claims = [
  claim(page, "which in 20 dimensions is about 4.4, and fewer than 1 draw in 10,000 has a norm below 2", async () => {
    expect((await shippedModel("vae-20d")).config.latentDim).toBe(20);
    expect(Math.sqrt(19).toFixed(1)).toBe("4.4");
    // P(‖z‖ < 2) = P(χ²₂₀ < 4), the regularized lower gamma P(10, 2) = 1 − e^(−2) Σ_{k<10} 2^k/k!.
    let term = 1;
    let sum = 0;
    for (let k = 0; k < 10; k++) {
      sum += term;
      term *= 2 / (k + 1);
    }
    const below2 = 1 - Math.exp(-2) * sum;
    expect(below2).toBeGreaterThan(0);
    expect(below2).toBeLessThan(1e-4);
  }),

  claim(page, "The encoder's codes of the test digits (blue) lie on the same shell", async () => {
    const codes = sampleNorms(await encoderOutputs(await shippedModel("vae-20d"), await mnist("test"), 1000), 1);
    const g = normals(2);
    const prior = Array.from({length: 4000}, () => norm(Array.from({length: 20}, g)));
    // Nowhere near the centre, and in the same band of norms as the prior's draws.
    expect(Math.min(...codes)).toBeGreaterThan(2.5);
    expect(quantile(codes, 0.05)).toBeGreaterThan(quantile(prior, 0.02));
    expect(quantile(codes, 0.95)).toBeLessThan(quantile(prior, 0.98));
  }),

  claim(page, "about 94 % of the 1,000 test digits", async () => {
    // Halve each test digit's code: is its decoding closer to its own full-length decoding than to any other's?
    const model = await shippedModel("vae-20d");
    const {mean: codes} = await encoderOutputs(model, await mnist("test"), 1000);
    const full = decodeMeans(model, codes);
    const half = decodeMeans(model, codes.map((z) => z.map((v) => v / 2)));
    let own = 0;
    for (let i = 0; i < 1000; i++) {
      let best = -1;
      let bestDistance = Infinity;
      for (let j = 0; j < 1000; j++) {
        let d = 0;
        for (let p = 0; p < 784; p++) d += (half[i * 784 + p] - full[j * 784 + p]) ** 2;
        if (d < bestDistance) [best, bestDistance] = [j, d];
      }
      if (best === i) own++;
    }
    expect(Math.abs(own / 1000 - 0.94)).toBeLessThan(0.025);
  }),

  claim(page, "gives fainter, blurrier digits, and", async () => {
    // The same 300 draws ε at T = 0.5, 1, 1.5: lower T, more uncertain pixels and less ink; higher T, the reverse.
    const model = await shippedModel("vae-20d");
    const g = normals(3);
    const eps = Array.from({length: 300}, () => Array.from({length: 20}, g));
    const at = (t: number) => decodeMeans(model, eps.map((e) => e.map((v) => t * v)));
    const [low, one, high] = [at(0.5), at(1), at(1.5)];
    expect(mean(entropies(low))).toBeGreaterThan(mean(entropies(one)) + 10);
    expect(mean(entropies(one))).toBeGreaterThan(mean(entropies(high)) + 10);
    expect(ink(low)).toBeLessThan(ink(one));
    expect(ink(high)).toBeGreaterThan(ink(one));
  }),

  claim(page, "for wider angles it can leave that range (with norms 4 and 2 at 150°, it runs from about 1.5 to 5.5), and the angle no longer grows evenly", () => {
    const path = Array.from({length: 1001}, (_, k) => slerp(inPlane(4, 0), inPlane(2, 150), k / 1000));
    const norms = path.map(norm);
    expect(Math.min(...norms).toFixed(1)).toBe("1.5");
    expect(Math.max(...norms).toFixed(1)).toBe("5.5");
    // The midpoint's angle is far from 75°, half of 150°.
    const mid = path[500];
    expect(Math.abs((Math.atan2(mid[1], mid[0]) * 180) / Math.PI - 75)).toBeGreaterThan(20);
    // And for angles up to 90° the norm stays between the ends' (random ends, many t).
    const g = normals(4);
    for (let trial = 0; trial < 200; trial++) {
      const [ra, rb, degrees] = [0.5 + 4 * Math.abs(g()), 0.5 + 4 * Math.abs(g()), 90 * Math.min(1, Math.abs(g()) / 3)];
      if (degrees < 1) continue;
      for (let k = 0; k <= 50; k++) {
        const r = norm(slerp(inPlane(ra, 0), inPlane(rb, degrees), k / 50));
        expect(r).toBeGreaterThanOrEqual(Math.min(ra, rb) - 1e-9);
        expect(r).toBeLessThanOrEqual(Math.max(ra, rb) + 1e-9);
      }
    }
  }),

  claim(page, "0.22 nats for a hole that takes a fifth of the prior's draws", () => {
    // q = the 2-D prior with a disc of prior mass m = 1/5 cut out of it, the rest scaled by 1/(1 − m):
    // KL(q ‖ p) by quadrature on a grid, against −log(1 − m).
    const m = 0.2;
    const radius = Math.sqrt(-2 * Math.log(1 - m)); // P(‖z‖ < r) = 1 − e^(−r²/2) in two dimensions
    const h = 0.01;
    let [kl, mass, cut] = [0, 0, 0];
    for (let x = -8 + h / 2; x < 8; x += h) {
      for (let y = -8 + h / 2; y < 8; y += h) {
        const p = Math.exp(-(x * x + y * y) / 2) / (2 * Math.PI);
        if (Math.hypot(x, y) < radius) {
          cut += p * h * h;
          continue;
        }
        const q = p / (1 - m);
        kl += q * Math.log(q / p) * h * h;
        mass += q * h * h;
      }
    }
    expect(Math.abs(cut - m)).toBeLessThan(1e-3);
    expect(Math.abs(mass - 1)).toBeLessThan(2e-3);
    expect(kl.toFixed(2)).toBe("0.22");
    expect(Math.abs(kl + Math.log(1 - m))).toBeLessThan(1e-3);
  }),

  claim(page, "Switch to the 10,000 training digits and watch the red shrink.", async () => {
    // The figure's training digits are the first 10,000 (src/data/mnist-[part].bin.ts, train-0); their
    // aggregate posterior leaves less of the prior in holes than the 1,000 test digits'.
    const model = await shippedModel("vae-2d");
    const train = await mnist("train");
    expect(train.count).toBeGreaterThanOrEqual(10_000);
    const fromTest = holeShare(await encoderOutputs(model, await mnist("test"), 1000), 2000, 5);
    const fromTrain = holeShare(await encoderOutputs(model, train, 10_000), 2000, 5);
    expect(fromTrain).toBeLessThan(fromTest / 2);
  }),

  claim(page, "Over all 60,000 training digits, the codes this decoder was trained on, about 1 % of the prior's draws land in a hole.", async () => {
    const model = await shippedModel("vae-2d");
    const train = await mnist("train");
    expect(train.count).toBe(60_000);
    const share = holeShare(await encoderOutputs(model, train, 60_000), 3000, 6);
    expect(share).toBeGreaterThan(0.005);
    expect(share).toBeLessThan(0.016);
  }),

  // Exercise 1: its numbers are in math, so the question's words carry the claim.
  claim(page, "And for the midpoint of two independent such codes?", () => {
    const g = normals(7);
    const n = 20_000;
    let [sq, mid] = [0, 0];
    for (let i = 0; i < n; i++) {
      const a = Array.from({length: 20}, g);
      const b = Array.from({length: 20}, g);
      sq += norm(a) ** 2 / n;
      mid += norm(a.map((v, k) => (v + b[k]) / 2)) ** 2 / n;
    }
    expect(Math.abs(sq - 20)).toBeLessThan(0.2);
    expect(Math.abs(mid - 10)).toBeLessThan(0.1);
    expect([Math.sqrt(10).toFixed(1), Math.sqrt(20).toFixed(1)]).toEqual(["3.2", "4.5"]);
  }),

  // Exercise 2 and its solution (in math): 1.73 and 3.46.
  claim(page, "have norms 4 and 2 and an angle of 120° between them", () => {
    const [a, b] = [inPlane(4, 0), inPlane(2, 120)];
    expect(norm(a.map((v, i) => (v + b[i]) / 2)).toFixed(2)).toBe("1.73");
    expect(norm(slerp(a, b, 0.5)).toFixed(2)).toBe("3.46");
    expect(Math.sqrt(12).toFixed(2)).toBe("3.46");
  }),

  // Exercise 3's solution: z = 0 decodes to the most uncertain pixels of any temperature shown.
  claim(page, "so its pixels are the least certain of any temperature (the largest entropy)", async () => {
    const model = await shippedModel("vae-20d");
    const atZero = entropies(decodeMeans(model, [new Array(20).fill(0)]))[0];
    const g = normals(8);
    for (const t of [0.25, 0.5, 1, 1.5]) {
      const samples = decodeMeans(model, Array.from({length: 200}, () => Array.from({length: 20}, () => t * g())));
      expect(atZero).toBeGreaterThan(mean(entropies(samples)));
    }
  }),

  // Exercise 4: log 1000 ≈ 6.91 nats (in math), for the 1,000 test digits the page loads.
  claim(page, "What is the bound for the 1,000 test digits, in nats?", () => {
    expect(Math.log(1000).toFixed(2)).toBe("6.91");
  })
];
