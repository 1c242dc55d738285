import { createRegistry } from '../../../core/registry.js';
import { alpineMatcher, debianMatcher, npmMatcher, pythonMatcher, rhelMatcher, ubuntuMatcher } from './matchers.js';
import type { Matcher } from './types.js';

/** Every matcher, sorted by name. */
export const matchers = createRegistry<Matcher>('matcher', [alpineMatcher, debianMatcher, npmMatcher, pythonMatcher, rhelMatcher, ubuntuMatcher]);
