/** `npm run viva -- register --name <name> --logo <https url>`: the admin's one-time Viva Learning registration. */
import { GUID } from '../src/configValues.js';
import { deviceCodeSignIn, registerProvider } from '../src/directory/vivaRegistration.js';

const USAGE = `Usage: npm run viva -- register [--name <display name>] --logo <https URL of a logo>

Registers Postwise as a learning provider in Viva Learning and lets it sync course activities.
You sign in once with a device code, as a Knowledge Administrator (or a higher role) with a Viva
Learning licence; the app registration (AZURE_CLIENT_ID, else MicrosoftAppId) needs the delegated
permission LearningProvider.ReadWrite and "Allow public client flows". The tenant is AZURE_TENANT_ID,
else MicrosoftAppTenantId. Prints the setting to give Postwise: POSTWISE_VIVA_PROVIDER_ID.`;

function option(args: readonly string[], name: string): string | undefined {
  const at = args.indexOf(name);
  return at === -1 ? undefined : args[at + 1];
}

async function main(args: readonly string[]): Promise<number> {
  if (args[0] !== 'register') {
    console.error(USAGE);
    return args[0] === undefined || args[0] === 'help' || args[0] === '--help' ? 0 : 2;
  }
  const name = option(args, '--name') ?? 'Postwise';
  const logo = option(args, '--logo');
  const tenantId = process.env.AZURE_TENANT_ID || process.env.MicrosoftAppTenantId || '';
  const clientId = process.env.AZURE_CLIENT_ID || process.env.MicrosoftAppId || '';
  const problems = [
    ...(logo === undefined || !logo.startsWith('https://') ? ['--logo must be an https URL anyone can reach.'] : []),
    ...(GUID.test(tenantId) ? [] : ['Set AZURE_TENANT_ID (or MicrosoftAppTenantId) to the tenant id.']),
    ...(GUID.test(clientId) ? [] : ["Set AZURE_CLIENT_ID (or MicrosoftAppId) to the app registration's id."]),
  ];
  if (problems.length > 0 || logo === undefined) {
    console.error(`${problems.join('\n')}\n\n${USAGE}`);
    return 2;
  }
  const graphUrl = process.env.POSTWISE_GRAPH_URL ?? 'https://graph.microsoft.com/v1.0/';
  const credential = deviceCodeSignIn(tenantId, clientId, (text) => console.log(text));
  const id = await registerProvider(graphUrl.endsWith('/') ? graphUrl : `${graphUrl}/`, credential, {
    displayName: name,
    logoUrl: logo,
  });
  console.log(
    `Registered in Viva Learning as "${name}". Give Postwise this setting:\n\nPOSTWISE_VIVA_PROVIDER_ID=${id}`,
  );
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : String(error));
    process.exit(1);
  },
);
