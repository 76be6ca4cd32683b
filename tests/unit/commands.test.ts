import { describe, expect, it } from 'vitest';
import { parseCommand, withinOneEdit } from '../../src/teams/commands.js';

describe('typed commands', () => {
  it.each([
    ['start', 'start'],
    ['Begin', 'start'],
    ['CONTINUE', 'next'],
    ['verder', 'next'],
    ['progress', 'progress'],
    ['Voortgang?', 'progress'],
    ['help', 'help'],
    ['<at>Postwise</at> help', 'help'],
    ['contnue', 'next'],
    ['progres', 'progress'],
    ['voortgnag', 'progress'],
    ['verdre', 'next'],
  ])('reads %j as %s', (text, route) => {
    expect(parseCommand(text)?.route).toBe(route);
  });

  it('passes the words after the command on', () => {
    expect(parseCommand('taal NL')).toEqual({ route: 'language', args: ['nl'] });
    expect(parseCommand('language en')).toEqual({ route: 'language', args: ['en'] });
  });

  it('does not guess at short words or unrelated text', () => {
    expect(parseCommand('stat')).toBeUndefined();
    expect(parseCommand('hello there')).toBeUndefined();
    expect(parseCommand('')).toBeUndefined();
    expect(parseCommand('   ')).toBeUndefined();
  });

  it('counts one edit', () => {
    expect(withinOneEdit('verder', 'verdre')).toBe(true);
    expect(withinOneEdit('start', 'starts')).toBe(true);
    expect(withinOneEdit('start', 'stort')).toBe(true);
    expect(withinOneEdit('start', 'sotrt')).toBe(false);
  });
});
