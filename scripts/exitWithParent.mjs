// Preloaded (node --import) into the processes `npm run dev` starts: when the script that started
// this one is gone, however it ended, the pipe on stdin closes and this process stops as on Ctrl-C.
// Plain JavaScript, so it loads into the Playground too, which runs without tsx.
process.stdin.on('error', () => {});
process.stdin.once('end', () => process.kill(process.pid, 'SIGTERM'));
process.stdin.resume();
// Reading stdin must not keep a process that is otherwise done.
process.stdin.unref();
