import path from 'node:path';
import { PROJECT_ROOT } from '../../src/config.js';
import { loadContent, type Content } from '../../src/content/load.js';

/** The course as shipped, with the default organisation settings. */
export function shippedContent(): Promise<Content> {
  return loadContent(path.join(PROJECT_ROOT, 'content'), {
    name: undefined,
    contactName: undefined,
    contactEmail: 'socialmedia@example.com',
    policyUrl: 'https://example.com/social-media-policy',
  });
}
