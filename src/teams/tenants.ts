/** The Entra tenant ids an activity names (conversation.tenantId and channelData.tenant.id), lower case. */
function tenantsOf(activity: {
  readonly conversation?: { readonly tenantId?: unknown } | null;
  readonly channelData?: unknown;
}): string[] {
  const channelData = activity.channelData as { tenant?: { id?: unknown } | null } | null | undefined;
  const ids = [activity.conversation?.tenantId, channelData?.tenant?.id].filter(
    (id): id is string => typeof id === 'string' && id !== '',
  );
  return [...new Set(ids.map((id) => id.toLowerCase()))];
}

/**
 * Whether the organisation serves this activity: every tenant id it names is allowed, and it names
 * at least one. An empty allowed list (local mode, none configured) serves every tenant.
 */
export function fromAllowedTenant(activity: Parameters<typeof tenantsOf>[0], allowed: readonly string[]): boolean {
  if (allowed.length === 0) return true;
  const tenants = tenantsOf(activity);
  return tenants.length > 0 && tenants.every((id) => allowed.includes(id));
}
