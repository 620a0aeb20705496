#!/usr/bin/env node
'use strict';
// Process-group leader for code-server (started by code-server.mjs with `detached: true`, i.e.
// setsid(2): this process leads a new session and process group).
//
// Why a leader at all: code-server forks an extension host (and file watchers, pty hosts...).
// Killing only code-server's pid leaves those running, so code-server.mjs stops the whole
// group with kill(-pgid). That covers the normal stop, but if the launcher itself is killed with
// SIGKILL (a CI timeout, `kill -9`), nobody would ever send that signal. This leader closes the gap
// without polling: its stdin is a pipe from the launcher, and the kernel closes that pipe when the
// launcher dies however it dies. On 'end' of stdin, or when code-server exits by itself, the leader
// kills its own group (code-server + extension host + itself).
//
// Usage: node group-leader.cjs <command> [args...]   (stdout/stderr are inherited)
const { spawn } = require('node:child_process');

const [cmd, ...args] = process.argv.slice(2);
if (!cmd) {
  process.stderr.write('group-leader: missing command\n');
  process.exit(2);
}

function killGroup(signal) {
  try {
    // pid 0 = every process in this process group, including this one.
    process.kill(0, signal);
  } catch {
    /* group already gone */
  }
}

const child = spawn(cmd, args, { stdio: ['ignore', 'inherit', 'inherit'] });
child.on('error', (err) => {
  process.stderr.write(`group-leader: cannot start ${cmd}: ${err.message}\n`);
  killGroup('SIGKILL');
  process.exit(127);
});
child.on('exit', (code, signal) => {
  // code-server is gone: take any extension host it left behind with us.
  process.stderr.write(`group-leader: ${cmd} exited (${signal ?? code})\n`);
  killGroup('SIGKILL');
});

// Launcher gone (pipe closed) => tear everything down.
process.stdin.on('end', () => killGroup('SIGKILL'));
process.stdin.on('error', () => killGroup('SIGKILL'));
process.stdin.resume();

// A polite stop (SIGTERM to the whole group) reaches code-server and the extension host
// directly. The leader survives it on purpose: it waits for code-server's exit above and then
// SIGKILLs whatever is left. (code-server.mjs SIGKILLs the group itself if that takes too long.)
for (const sig of ['SIGTERM', 'SIGINT', 'SIGHUP']) {
  process.on(sig, () => {});
}
