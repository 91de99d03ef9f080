import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { TEST_BID_WINDOW_MS } from './test-env.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** Every child still running is killed when the test worker exits, whatever failed on the way. */
const running = new Set<ChildProcess>();
process.on('exit', killRunningChildren);

/**
 * Kills what is still running. Also called after each test file (test/helpers/after-file.ts):
 * a test that timed out never reaches its own `finally`, and a worker the pool ends with a
 * signal never emits `exit`, so its gateways would otherwise outlive the run.
 */
export function killRunningChildren(): void {
  for (const child of running) child.kill('SIGKILL');
}

function track(child: ChildProcess): ChildProcess {
  running.add(child);
  child.on('exit', () => running.delete(child));
  return child;
}

export interface GatewayProcess {
  child: ChildProcess;
  url: string;
  output: () => string;
  /** Resolves with the exit code (or signal name) when the process ends. */
  exited: Promise<number | string>;
}

/**
 * The gateway as `npm start` runs it: the compiled build, with its flags. The suite's global
 * setup brings `dist/` up to date once (an incremental build), so every spawned process runs
 * the code under test, and starts in half the time `tsx` takes to load the source.
 */
const FROM_BUILD = [process.execPath, '--max-semi-space-size=32', 'dist/src/main.js'];

/** Starts the gateway as a real child process (by default the build, as `npm start` runs it) and waits until it listens. */
export async function spawnGateway(env: Record<string, string>, timeoutMs = 60_000, command: string[] = FROM_BUILD): Promise<GatewayProcess> {
  const [file, ...args] = command;
  const child = spawn(file!, args, {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '',
      NODE_ENV: 'test',
      LOG_LEVEL: 'warn',
      PORT: '0',
      HOST: '127.0.0.1',
      GAVEL_AGENT_ALLOW_PRIVATE: 'true',
      GAVEL_BID_WINDOW_MS: TEST_BID_WINDOW_MS,
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  track(child);
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<number | string>((resolve) => child.on('exit', (code, signal) => resolve(code ?? signal ?? -1)));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`gateway did not start:\n${out}`));
    }, timeoutMs);
    const check = () => {
      const m = /Gavel listening on (http:\/\/[^/\s]+)\/graphql/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]!);
      }
    };
    child.stdout!.on('data', check);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`gateway exited (${code}) before listening:\n${out}`));
    });
  });
  return { child, url, output: () => out, exited };
}

/** Runs the CLI (`npm run gavel -- …` runs the same code from source) from the build, as FROM_BUILD does, and collects its output. */
export async function runCli(args: string[], env: Record<string, string>): Promise<{ code: number; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, ['dist/src/cli/main.js', ...args], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  track(child);
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const code = await new Promise<number>((resolve) => child.on('exit', (c) => resolve(c ?? 1)));
  return { code, stdout, stderr };
}

/** The example agent as a real child process, as an operator would run it, verifying with its own signing secret. */
export async function spawnExampleAgent(secret: string): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'examples/http-agent/server.ts'], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', PORT: '0', AGENT_SIGNING_SECRET: secret, CHUNK_DELAY_MS: '40' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  track(child);
  let output = '';
  child.stderr!.on('data', (d: Buffer) => (output += d.toString()));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`example agent did not start:\n${output}`));
    }, 30_000);
    child.stdout!.on('data', (d: Buffer) => {
      output += d.toString();
      const match = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]!);
      }
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`example agent exited (${code}) before listening:\n${output}`));
    });
  });
  return { child, url };
}
