// The part of @breejs/later (bree's cron engine, a dependency of bree) that Cusp uses: it
// ships no types, and bree's own types import them from it.
declare module '@breejs/later' {
  namespace later {
    /** One recurrence: allowed values per time field (s, m, h, D, d, M, Y, …), all of them required. */
    type Recurrence = Record<string, number[]>;
    /** A schedule: it fires when any of `schedules` matches and none of `exceptions`. */
    interface ScheduleData {
      schedules: Recurrence[];
      exceptions: Recurrence[];
      error?: number;
    }
    interface Schedule {
      /** The next time at or after `start`, or 0 when there is none. */
      next(count: 1, start?: Date, end?: Date): Date | 0;
    }
    const date: { localTime(): void; UTC(): void };
    const parse: { cron(expression: string, hasSeconds?: boolean): ScheduleData };
    function schedule(data: ScheduleData): Schedule;
  }
  export default later;
}
