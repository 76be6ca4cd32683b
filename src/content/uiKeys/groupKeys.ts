/** Texts of campaigns to an Entra group: the search on the campaign form and what the preview says of the group. */
export const GROUP_KEYS = [
  'audGroup',
  'audGroupNamed',
  'groupSearchLabel',
  'groupFind',
  'groupLabel',
  'groupNoMatch',
  'groupUnavailable',
  'campaignInvalidGroup',
  'previewGroupOnRoster',
  'previewGroupOutside',
] as const;
