// @vitest-environment node
/// <reference types="node" />
/**
 * A history entry's "Copy command" line, pasted into a POSIX shell, runs
 * the real `patchbay call` and gives what the entry's calls give: the
 * command line is executed by `sh`, in a project folder whose name needs
 * quoting, with call text full of quotes, `$`, backticks and backslashes.
 *
 * Needs the CLI binary built (`cargo build` or `cargo test --workspace`,
 * as scripts/test.sh runs first): $PATCHBAY_CLI, else
 * $CARGO_TARGET_DIR/debug/patchbay, else target/debug/patchbay.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DEFAULT_LIMITS } from './runtime';
import { callCommandLine } from './runHistory';

const repo = fileURLToPath(new URL('../../../', import.meta.url));
const cli =
  process.env.PATCHBAY_CLI ?? join(process.env.CARGO_TARGET_DIR ?? join(repo, 'target'), 'debug', 'patchbay');

const SET = 'handle-request("set a it\'s $HOME `x` \\"q\\" \\\\ end")';
const GET = 'handle-request("get a")';

describe('the copied patchbay call command line', () => {
  let root = '';
  let project = '';

  beforeAll(() => {
    if (!existsSync(cli)) {
      throw new Error(`no patchbay CLI at ${cli}: build it first (cargo build -p patchbay-cli), or set PATCHBAY_CLI`);
    }
    if (!existsSync(join(repo, 'samples', 'wasm', 'kv-service.wasm'))) {
      throw new Error('samples/wasm/kv-service.wasm is missing: build the samples first (bash samples/build.sh)');
    }
    // kv-service reads its components from ../wasm: a copy beside a link keeps that.
    root = mkdtempSync(join(tmpdir(), 'pb history '));
    const parent = join(root, `it's "a" $dir`);
    cpSync(join(repo, 'samples', 'kv-service'), join(parent, 'kv-service'), { recursive: true });
    symlinkSync(join(repo, 'samples', 'wasm'), join(parent, 'wasm'));
    project = join(parent, 'kv-service');
  });

  afterAll(() => {
    if (root) rmSync(root, { recursive: true, force: true });
  });

  it('runs in sh and answers what the same calls answer', () => {
    const line = callCommandLine({
      replay: [SET, GET],
      call: GET,
      limits: { ...DEFAULT_LIMITS, fuel: 50_000_000 },
      projectDir: project,
    });
    const shell = execFileSync('sh', ['-c', line], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, PATH: `${dirname(cli)}:${process.env.PATH ?? ''}` },
    });
    // The same calls, handed to the binary as words with no shell between.
    const direct = execFileSync(
      cli,
      ['call', '--traced', '--timeout-ms', '5000', '--max-memory-mib', '64', '--fuel', '50000000', '--max-output-kib', '256', project, SET, GET],
      { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] },
    );
    expect(shell).toBe(direct);
    expect(shell.trim().split('\n')).toEqual(['"ok"', '"it\\\'s $HOME `x` \\"q\\" \\\\ end"']);
  });
});
