import {defineConfig} from "vitest/config";

// Browser tests drive real Chromium against the built dist/; one file at a time, since SwiftShader
// is slow and the machine has two cores.
export default defineConfig({
  test: {
    include: ["tests/browser/**/*.test.ts"],
    testTimeout: 180_000,
    hookTimeout: 120_000,
    fileParallelism: false,
    // A page on SwiftShader under load can take seconds to redraw; polls wait up to 20 s unless told otherwise.
    expect: {poll: {timeout: 20_000}},
    pool: "forks"
  }
});
