import type {Page} from "playwright-core";
import {waitForCells} from "./site.ts";

// Page controls driven as a reader would: by their labels and accessible names.

/** Sets an Observable Inputs range or select found by its label, as a reader would, and waits for the page to settle. */
export async function setInput(page: Page, label: string, value: string | number) {
  const control = page.getByLabel(label, {exact: true});
  const tag = await control.first().evaluate((el) => el.tagName);
  if (tag === "SELECT") await control.first().selectOption(String(value));
  else {
    await control.first().fill(String(value));
    await control.first().press("Enter");
  }
  await waitForCells(page);
}

/** A canvas figure's pixels, found by its accessible name, to tell whether it was redrawn. */
export function picture(page: Page, name: RegExp): Promise<string> {
  return page.getByRole("img", {name}).evaluate((c) => (c as HTMLCanvasElement).toDataURL());
}

export async function number(page: Page, name: string): Promise<number> {
  return Number(await page.locator(`[data-value="${name}"]`).textContent());
}
