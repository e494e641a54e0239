// Messages of our own between the client and the server, beyond LSP. Imported
// by both sides, so it imports nothing.

/** Server -> client: the untaken `%( %? %: %)` branches of a document. */
export const INACTIVE_REGIONS_NOTIFICATION = 'systemtap/inactiveRegions';

export interface InactiveRegionsParams {
  uri: string;
  regions: { start: { line: number; character: number }; end: { line: number; character: number } }[];
}
