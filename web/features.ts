// The features `npm start` runs, in start order.
import type { Feature } from './feature.ts';
import { webAppFeature } from './app-feature.ts';
import { adminFeature } from './admin-api.ts';
import { pluginsFeature } from '../plugins/host/feature.ts';
import { zoneFeature } from '../processes/zone-feature.ts';
import { programmesFeature } from '../processes/programmes.ts';

export const FEATURES: Feature[] = [zoneFeature, programmesFeature, webAppFeature, adminFeature, pluginsFeature];
