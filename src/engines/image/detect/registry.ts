import { createRegistry } from '../../../core/registry.js';
import { apk } from './apk.js';
import type { PackageDetector } from './detector.js';
import { dpkg } from './dpkg.js';
import { npm } from './npm.js';
import { python } from './python.js';
import { rpm } from './rpm.js';

/** Every package detector, sorted by name. Adding one: a file beside this one, then a line here. */
export const detectors = createRegistry<PackageDetector>('detector', [apk, dpkg, npm, python, rpm]);
