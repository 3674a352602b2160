// The features `npm start` runs, in start order.
import type { Feature } from './feature.ts';
import { webAppFeature } from './app-feature.ts';

export const FEATURES: Feature[] = [webAppFeature];
