// The one test that bundles: a full synth with esbuild, as `cdk deploy` would, offline.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { App } from 'aws-cdk-lib';
import { describe, expect, it } from 'vitest';
import { openApiDocument } from '../../functions/http/openapi';
import { ROUTES } from '../../functions/http/routes/index';
import { buildApp } from '../../infra/app';

type Template = {
  Resources: Record<
    string,
    {
      Type: string;
      Properties: { Code?: { S3Key?: string }; Environment?: { Variables?: Record<string, string> } };
    }
  >;
};

describe('bundled synth', () => {
  it('bundles every function offline, each at most 250 KB, with the files it reads beside its code', async () => {
    const outdir = join(process.cwd(), 'node_modules', '.cache', 'cdk-bundle-test');
    const { app, stack } = buildApp(new App({ outdir }));
    const assembly = app.synth();
    const template = assembly.getStackByName(stack.stackName).template as Template;
    // The function's code key is `<asset hash>.zip`; its bundle is cdk.out/asset.<hash>/index.js.
    const assetOf = (construct: { node: { defaultChild?: unknown } }) => {
      const id = stack.getLogicalId(construct.node.defaultChild as never);
      const hash = template.Resources[id]!.Properties.Code!.S3Key!.replace(/\.zip$/, '');
      return join(assembly.directory, `asset.${hash}`);
    };
    // Every function is at most 250 KB, none carrying date-holidays (2 MB) or the routes of
    // another group; but inbound mail (mailparser's charset tables, not checked here). The
    // largest, the plans function (ical.js, 76 KB, to read ICS files), is near 220 KB: zod's
    // functional build (41 KB a bundle, domain/zod.ts) and Slack called over fetch leave room.
    const functions = Object.entries(stack.functionsByName())
      .filter(([name]) => name !== 'InboundMail')
      .map(([, f]) => f.fn);
    expect(functions).toHaveLength(21);
    for (const fn of functions)
      expect(statSync(join(assetOf(fn), 'index.js')).size, fn.node.path).toBeLessThanOrEqual(250 * 1024);

    // The functions that store plans read the region holiday tables beside their code.
    for (const fn of [stack.api.functions.plans.fn, stack.seed.fn]) {
      expect(existsSync(join(assetOf(fn), 'holiday-data', 'SE.json')), fn.node.path).toBe(true);
    }
    expect(existsSync(join(assetOf(stack.api.functions.tickets.fn), 'holiday-data'))).toBe(false);

    // The openapi function serves the document generated at synth, the one the local runtime serves.
    const openapi = assetOf(stack.api.functions.openapi.fn);
    const served = readFileSync(join(openapi, 'openapi.json'), 'utf8');
    expect(JSON.parse(served)).toEqual(openApiDocument(ROUTES));
    process.env.OPENAPI_DOCUMENT = join(openapi, 'openapi.json');
    const { handler } = await import('../../functions/http/entries/openapi');
    expect(await handler()).toEqual({
      statusCode: 200,
      headers: { 'content-type': 'application/json; charset=utf-8' },
      body: served,
    });
    expect(statSync(join(openapi, 'index.js')).size).toBeLessThan(4 * 1024);
  }, 120_000);
});
