// The features `npm start` runs, in start order.
import type { Feature } from './feature.ts';
import { webAppFeature } from './app-feature.ts';
import { adminFeature } from './admin-api.ts';
import { pluginsFeature } from '../plugins/host/feature.ts';
import { zoneFeature } from '../processes/zone-feature.ts';

export const FEATURES: Feature[] = [zoneFeature, webAppFeature, adminFeature, pluginsFeature];
