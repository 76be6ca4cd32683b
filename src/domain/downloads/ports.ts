/** Where the download links' secret is kept, and each link's one use recorded. */
export interface LinkStore {
  /** A random secret made on first use and kept: it signs download links across restarts. */
  secret(): Promise<string>;
  /** Records that the download link with this id was used; false when it already was. */
  useLink(linkId: string, at: string): Promise<boolean>;
}
