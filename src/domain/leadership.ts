/** What an instance does when it becomes, or stops being, the one that runs the background work. */
export interface Roles {
  /** `generation` grows with each new leader: the work this leader starts carries it, and a newer one fences it off. */
  lead(generation: number): Promise<void>;
  follow(): Promise<void>;
}

/**
 * Which of several instances sends deliveries, runs the minute timers and syncs the roster:
 * exactly one at a time.
 */
export interface Leadership {
  /** Calls `lead` each time this instance becomes the leader and `follow` each time it stops being it. */
  start(roles: Roles): Promise<void>;
  /** Stops leading (calling `follow` first) and lets another instance take over at once. */
  stop(): Promise<void>;
}

/** The only instance there is (the embedded store): always the leader. */
export function soleInstance(): Leadership {
  let roles: Roles | undefined;
  return {
    start: async (given) => {
      roles = given;
      await given.lead(1);
    },
    stop: async () => {
      await roles?.follow();
      roles = undefined;
    },
  };
}
