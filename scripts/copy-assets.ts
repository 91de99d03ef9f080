import { cpSync } from 'node:fs';

/**
 * The build's second half: files the server reads at run time next to its code (the
 * agent catalog's JSON), which tsc does not emit because nothing imports them.
 */
cpSync('src', 'dist/src', { recursive: true, filter: (path) => !/\.[cm]?ts$/.test(path) });
