import {describe, it} from "vitest";
import {CLAIMS} from "../claims/index.ts";

// Each number a page types (tests/claims/), recomputed. The browser test checks that the page still
// says it and says nothing else unchecked.
describe("the claims the pages make", () => {
  for (const claim of CLAIMS) it(`${claim.page}: "${claim.quote}"`, claim.check, 120_000);
});
