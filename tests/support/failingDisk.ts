// Preloaded (`node --import tsx --import tests/support/failingDisk.ts`) by tests of a disk that
// refuses writes: while the file FAILING_DISK_SWITCH names holds an error code (ENOSPC, EROFS,
// EIO), every appendFile and writeFile fails with it; ENOSPC and EIO first write half of the data,
// as a disk that fills up or fails mid-write does. Empty or missing: writes work. Production code
// has no such hook.
import fs from 'node:fs';
import { syncBuiltinESMExports } from 'node:module';

const switchFile = process.env.FAILING_DISK_SWITCH ?? '';
const fault = () => {
  try {
    return fs.readFileSync(switchFile, 'utf8').trim();
  } catch {
    return '';
  }
};
const failure = (code: string, file: unknown) =>
  Object.assign(new Error(`${code}: simulated fault, write '${String(file)}'`), { code, syscall: 'write' });
const half = (data: unknown) => (typeof data === 'string' ? data.slice(0, data.length >> 1) : undefined);

const appendFile = fs.promises.appendFile;
fs.promises.appendFile = async (...args: Parameters<typeof appendFile>) => {
  const code = fault();
  if (code === '') return appendFile(...args);
  const part = half(args[1]);
  if (code !== 'EROFS' && part) await appendFile(args[0], part, 'utf8');
  throw failure(code, args[0]);
};
const writeFile = fs.promises.writeFile;
fs.promises.writeFile = async (...args: Parameters<typeof writeFile>) => {
  const code = fault();
  if (code === '') return writeFile(...args);
  const part = half(args[1]);
  if (code !== 'EROFS' && part) await writeFile(args[0], part, 'utf8');
  throw failure(code, args[0]);
};
syncBuiltinESMExports();
