/**
 * HR's figures are still being built or restored (the instance has just started) and the turn that asked for
 * them could not wait any longer: the Teams adapter tells the person to try again shortly.
 */
export class FiguresNotReady extends Error {
  constructor() {
    super("HR's figures are not ready yet");
    this.name = 'FiguresNotReady';
  }
}

/** Waits for `start`, but in a turn no longer than its deadline allows: then FiguresNotReady. */
export async function awaitWithin(start: Promise<void>, deadline: number | undefined): Promise<void> {
  if (deadline === undefined) return start;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new FiguresNotReady()), Math.max(0, deadline - Date.now()));
  });
  try {
    await Promise.race([start, late]);
  } finally {
    clearTimeout(timer);
  }
}
