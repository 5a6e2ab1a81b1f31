import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    testTimeout: 60_000,
    // The JSON reporter feeds .ci/run, which prints the plain "N passed, N failed" line CI reads.
    reporters: process.env.VANTHU_TEST_JSON ? ["default", ["json", { outputFile: process.env.VANTHU_TEST_JSON }]] : ["default"],
  },
});
