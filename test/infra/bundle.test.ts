// The one test that bundles: a full synth with esbuild, as `cdk deploy` would, offline.
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { App } from 'aws-cdk-lib';
import { describe, expect, it } from 'vitest';
import { buildApp } from '../../infra/app';

type Template = { Resources: Record<string, { Properties: { Code?: { S3Key?: string } } }> };

describe('bundled synth', () => {
  it('bundles every function offline, the SLA path under 250 KB', () => {
    const outdir = join(process.cwd(), 'node_modules', '.cache', 'cdk-bundle-test');
    const { app, stack } = buildApp(new App({ outdir }));
    const assembly = app.synth();
    const template = assembly.getStackByName(stack.stackName).template as Template;
    // The function's code key is `<asset hash>.zip`; its bundle is cdk.out/asset.<hash>/index.mjs.
    const sizeOf = (construct: { node: { defaultChild?: unknown } }) => {
      const id = stack.getLogicalId(construct.node.defaultChild as never);
      const hash = template.Resources[id]!.Properties.Code!.S3Key!.replace(/\.zip$/, '');
      return statSync(join(assembly.directory, `asset.${hash}`, 'index.mjs')).size;
    };
    const slaPath = [
      stack.api.functions.tickets.fn,
      stack.api.authorizer.fn,
      stack.deadlines.escalation.fn,
      stack.deadlines.sweeper.fn,
    ];
    for (const fn of slaPath) expect(sizeOf(fn), fn.node.path).toBeLessThan(250 * 1024);
  }, 120_000);
});
