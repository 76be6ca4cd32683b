/** Where records live: the embedded store in dataFile's folder, or Azure Tables (several instances at once). */
export type StoreConfig =
  | { readonly kind: 'embedded' }
  | {
      readonly kind: 'azure-tables';
      /** The table endpoint (signed in to with DefaultAzureCredential), or a connection string. */
      readonly account: { readonly url: string } | { readonly connectionString: string };
      /** Put before every table name, so deployments can share an account. */
      readonly prefix: string;
      /**
       * How long the leader's lease holds unless renewed: another instance takes over within this
       * after the leader dies.
       */
      readonly leaseSeconds: number;
    };
