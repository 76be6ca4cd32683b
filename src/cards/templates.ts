import { readFile } from 'node:fs/promises';
import path from 'node:path';
import * as ACData from 'adaptivecards-templating';
import { ContentError } from '../content/contentError.js';

export const CARD_NAMES = [
  'welcome',
  'welcomeBack',
  'whatChanged',
  'lesson',
  'question',
  'review',
  'result',
  'acknowledge',
  'completion',
  'progress',
  'help',
  'ask',
  'report',
  'ticket',
  'answer',
  'resolved',
  'faqEdit',
  'faq',
  'note',
  'campaignMessage',
  'inventory',
  'hrCoverage',
  'hrCampaign',
  'hrCampaignPreview',
  'hrCampaignStatus',
  'hrCampaignSchedule',
  'hrRoster',
  'hrRosterPreview',
  'hrPeople',
  'hrLink',
  'hrUnderstanding',
  'hrItems',
  'refresher',
  'refresherResult',
  'team',
  'enrolment',
  'renewal',
  'renewalQuestion',
  'renewalResult',
  'renewalAcknowledge',
] as const;
export type CardName = (typeof CARD_NAMES)[number];

/** An Adaptive Card as JSON, ready to attach to a message. */
export type CardJson = Record<string, unknown>;

/** The Adaptive Card templates of cards/, checked at start-up. */
export class CardTemplates {
  private constructor(private readonly templates: ReadonlyMap<CardName, ACData.Template>) {}

  static async load(dir: string): Promise<CardTemplates> {
    const problems: { file: string; field: string; problem: string }[] = [];
    const templates = new Map<CardName, ACData.Template>();
    for (const name of CARD_NAMES) {
      const file = path.join(path.basename(dir), `${name}.json`);
      let json: unknown;
      try {
        json = JSON.parse(await readFile(path.join(dir, `${name}.json`), 'utf8'));
      } catch (error) {
        problems.push({ file, field: '(file)', problem: `cannot be read as JSON: ${(error as Error).message}` });
        continue;
      }
      const card = json as Record<string, unknown>;
      if (card.type !== 'AdaptiveCard') problems.push({ file, field: 'type', problem: 'must be "AdaptiveCard"' });
      if (card.version !== '1.5')
        problems.push({ file, field: 'version', problem: 'must be "1.5", the newest version Teams renders' });
      templates.set(name, new ACData.Template(json));
    }
    if (problems.length > 0) throw new ContentError(problems);
    return new CardTemplates(templates);
  }

  render(name: CardName, data: object): CardJson {
    const template = this.templates.get(name);
    if (!template) throw new Error(`No card template named ${name}`);
    return template.expand({ $root: data }) as CardJson;
  }
}
