/** A sleep that a wake-up call ends early; a wake-up while awake ends the next sleep at once. */
export class Alarm {
  private woken = false;
  private wakeUp: (() => void) | undefined;

  sleep(ms: number): Promise<void> {
    if (this.woken) {
      this.woken = false;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const timer = setTimeout(() => done(), Math.max(1, ms));
      const done = () => {
        clearTimeout(timer);
        this.wakeUp = undefined;
        resolve();
      };
      this.wakeUp = done;
    });
  }

  wake(): void {
    if (this.wakeUp) this.wakeUp();
    else this.woken = true;
  }
}
