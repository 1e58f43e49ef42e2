// React's scheduler (the `scheduler` package react-reconciler runs its work on): the two
// exports the console's key router uses. The package ships no types of its own.
declare module 'scheduler' {
  export const unstable_NormalPriority: number;
  export function unstable_scheduleCallback(priority: number, callback: () => void): unknown;
}
