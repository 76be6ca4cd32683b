import path from 'node:path';
import { PROJECT_ROOT } from '../../src/config.js';
import { loadContent, type Content, type OrgTexts } from '../../src/content/load.js';

/** The content folder the project ships. */
export const CONTENT_DIR = path.join(PROJECT_ROOT, 'content');

/** The organisation texts configuration falls back to. */
export const DEFAULT_ORG: OrgTexts = {
  name: undefined,
  contactName: undefined,
  contactEmail: 'socialmedia@example.com',
  policyUrl: 'https://example.com/social-media-policy',
};

/** The course as shipped, with the default organisation settings. */
export function shippedContent(): Promise<Content> {
  return loadContent(CONTENT_DIR, DEFAULT_ORG);
}
