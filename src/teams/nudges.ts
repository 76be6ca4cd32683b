import { QuestionCards } from '../cards/questionCards.js';
import type { QuestionService } from '../domain/questions/questionService.js';
import type { Log } from '../log.js';
import { cardMessage, type Messenger } from './messenger.js';

/** Posts the one nudge each question past its SLA gets in its thread; returns how many were sent. */
export async function sendDueNudges(
  questions: QuestionService,
  messenger: Messenger,
  cards: QuestionCards,
  hours: number,
  log: Log,
): Promise<number> {
  const channel = await questions.contactChannel();
  if (!channel) return 0;
  let sent = 0;
  for (const ticket of await questions.dueNudges()) {
    if (!ticket.thread) continue;
    try {
      await messenger.postToThread(
        channel,
        ticket.thread,
        cardMessage(cards.note(cards.cards.text('reminder', { hours }))),
      );
      await questions.markNudged(ticket.number);
      sent += 1;
    } catch (error) {
      log.error('nudge.failed', error);
    }
  }
  return sent;
}
