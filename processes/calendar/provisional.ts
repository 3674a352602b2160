// The provisional calendar of a year nobody has entered yet: weekends plus the statutory holidays of
// 《全国年节及纪念日放假办法》 (2024 revision), without the State Council's bridging days or make-up
// workdays, which only its yearly notice fixes. The lunar and solar-term dates come from
// chinese-days' own conversion tables (1900–2100).
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const lunar = require('chinese-days') as {
  getSolarDateFromLunar(lunarDate: string): { date: string };
  getSolarTermDate(year: number, month: number, term: string): string;
};

/** The years chinese-days can convert lunar dates for. */
export const PROVISIONAL_LIMIT = 2100;

export interface NamedDay { date: string; name: string }

const DAY = 86_400_000;
const shift = (iso: string, days: number) => new Date(Date.parse(`${iso}T00:00:00Z`) + days * DAY).toISOString().slice(0, 10);
const solarOf = (year: number, month: number, day: number) => lunar.getSolarDateFromLunar(`${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`).date;

/** The statutory holidays of `year` (13 days), in date order. */
export function statutoryHolidays(year: number): NamedDay[] {
  const y = String(year).padStart(4, '0');
  const newYear = solarOf(year, 1, 1); // 正月初一
  const days: NamedDay[] = [
    { date: `${y}-01-01`, name: '元旦' },
    // 除夕 and the first three days of the lunar year that starts in this year (正月初一 falls Jan 21–Feb 20).
    ...[-1, 0, 1, 2].map((d) => ({ date: shift(newYear, d), name: '春节' })),
    { date: lunar.getSolarTermDate(year, 4, 'pure_brightness'), name: '清明节' },
    { date: `${y}-05-01`, name: '劳动节' },
    { date: `${y}-05-02`, name: '劳动节' },
    { date: solarOf(year, 5, 5), name: '端午节' },
    { date: solarOf(year, 8, 15), name: '中秋节' },
    { date: `${y}-10-01`, name: '国庆节' },
    { date: `${y}-10-02`, name: '国庆节' },
    { date: `${y}-10-03`, name: '国庆节' },
  ];
  return days.sort((a, b) => a.date.localeCompare(b.date));
}
