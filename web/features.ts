// The features `npm start` runs, in start order.
import type { Feature } from './feature.ts';

export const FEATURES: Feature[] = [];
