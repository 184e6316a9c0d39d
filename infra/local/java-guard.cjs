// Runs DynamoDB Local's Java as this process's child and ends it when the sla-desk process
// that started this guard goes away, however it goes (exit, crash, kill -9): that process holds
// our stdin pipe open, and the pipe closes only when it is gone. Java never outlives npm start.
// Java's pid goes to SLA_DESK_JAVA_PID_FILE, so a later start can find a stale Java of its data.
const { spawn } = require('node:child_process');
const { rmSync, writeFileSync } = require('node:fs');

const [command, ...args] = process.argv.slice(2);
const pidFile = process.env.SLA_DESK_JAVA_PID_FILE || null;
const java = spawn(command, args, { stdio: ['ignore', 'inherit', 'inherit'] });
if (pidFile && java.pid) writeFileSync(pidFile, String(java.pid));

let stopping = false;
function stop() {
  if (stopping || java.exitCode !== null || java.signalCode !== null) return;
  stopping = true;
  java.kill('SIGTERM');
  setTimeout(() => java.kill('SIGKILL'), 3000).unref();
}
process.stdin.on('end', stop);
process.stdin.on('close', stop);
process.stdin.on('error', stop);
process.stdin.resume();
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
process.on('SIGHUP', stop);
java.on('error', (error) => {
  console.error(`could not start ${command}: ${error.message}`);
  process.exit(127);
});
java.on('exit', (code, signal) => {
  if (pidFile) rmSync(pidFile, { force: true });
  process.exit(code ?? (signal === 'SIGTERM' ? 143 : 137));
});
