import { afterAll } from 'vitest';
import { killRunningChildren } from './process.js';

// Registered before the file's own hooks, so it runs after them (vitest runs after-hooks as a stack):
// a file's orderly shutdowns come first, and this only catches what they left running.
afterAll(killRunningChildren);
