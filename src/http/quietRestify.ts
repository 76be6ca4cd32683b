/**
 * Imported before restify: restify loads spdy, whose http-deceiver reads
 * process.binding('http_parser') at load time, and Node prints DEP0111 for it on every start.
 * Only that one warning is dropped; every other warning, DEP0111 for other bindings too, still shows.
 */
const NOISE = "Access to process.binding('http_parser') is deprecated.";
const emitWarning = process.emitWarning.bind(process);

process.emitWarning = (warning: string | Error, ...rest: unknown[]) => {
  const [typeOrOptions, code] = rest;
  const withOptions = typeof typeOrOptions === 'object' && typeOrOptions !== null;
  const warningCode = withOptions ? (typeOrOptions as { code?: unknown }).code : code;
  const text = typeof warning === 'string' ? warning : warning.message;
  if (warningCode === 'DEP0111' && text === NOISE) return;
  (emitWarning as (...args: unknown[]) => void)(warning, ...rest);
};
