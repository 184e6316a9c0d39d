import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/global-setup.ts'],
    testTimeout: 20_000,
    // Hooks synthesise the stack or start a runtime: a few seconds on a quiet machine, over
    // vitest's 10 s on a loaded one (web-site.test.ts's synth timed out so beside a bench).
    hookTimeout: 60_000,
    // A page updates after its request: polls wait up to 5 s (a bulk change of 20 tickets).
    expect: { poll: { timeout: 5_000 } },
    // Powertools: warnings and errors in the test output; metrics only where a test turns them on.
    env: { POWERTOOLS_LOG_LEVEL: 'WARN', POWERTOOLS_METRICS_DISABLED: 'true' },
  },
});
