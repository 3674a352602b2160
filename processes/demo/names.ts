// Plausible Chinese names for the demo zone, from a seeded generator (the same zone every time).

/** mulberry32: small, fast, seeded. */
export function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const pick = <T>(rnd: () => number, list: readonly T[]): T => list[Math.floor(rnd() * list.length)]!;

/** A value by weight: [[value, weight], …]. */
export function weighted<T>(rnd: () => number, list: ReadonlyArray<readonly [T, number]>): T {
  const total = list.reduce((s, [, w]) => s + w, 0);
  let x = rnd() * total;
  for (const [v, w] of list) {
    x -= w;
    if (x < 0) return v;
  }
  return list[list.length - 1]![0];
}

const SURNAMES = [...'王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦方邹孟熊秦邱江尹薛段雷侯龙史陶黎贺顾毛郝龚邵钱严俞楼应'];
const GIVEN_OLD = [...'建国华明军平强刚伟勇志林海荣福德庆成祥忠利民兴根宝'];
const GIVEN = [...'伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚英华玉兰萍红建文辉力鹏飞宇浩然婷雪琳晨阳欣怡涵远佳豪俊凯晓东海波志斌亮丹峰颖倩蕾琪瑶嘉睿泽航'];

export function personName(rnd: () => number, cohort: 'old' | 'middle' | 'young', taken: Set<string>): string {
  for (;;) {
    const pool = cohort === 'old' ? GIVEN_OLD : GIVEN;
    const two = cohort === 'old' ? rnd() < 0.5 : rnd() < 0.75;
    const name = pick(rnd, SURNAMES) + pick(rnd, pool) + (two ? pick(rnd, GIVEN) : '');
    if (!taken.has(name)) {
      taken.add(name);
      return name;
    }
  }
}

const BRANDS = [...'临平东湖星桥乔司运河塘栖崇贤南苑汀洲望梅宏达恒泰鼎盛华瑞永盛新力博远康源瑞丰中科天成金利汇通正泰亿丰聚能绿源明辉益安佳禾'];
const PLACE = ['杭州', '杭州', '杭州', '浙江'];
export const INDUSTRY_WORDS: Record<string, string[]> = {
  'smart-manufacturing': ['智能装备', '精密机械', '自动化科技', '机器人', '数控科技', '智能制造'],
  biomedicine: ['生物医药', '制药', '生物科技', '医疗器械', '药业'],
  'home-textiles': ['家纺', '布艺', '纺织', '织造', '窗饰'],
  'semiconductor-equipment': ['半导体设备', '微电子装备', '晶圆科技'],
  ivd: ['诊断试剂', '体外诊断', '生物检测'],
  'green-energy': ['新能源', '光伏科技', '储能科技', '氢能科技'],
  other: ['商贸', '物流', '建材', '包装'],
};

export function enterpriseName(rnd: () => number, industry: string, taken: Set<string>): string {
  for (let i = 0; ; i += 1) {
    const brand = pick(rnd, BRANDS) + pick(rnd, BRANDS);
    const name = `${pick(rnd, PLACE)}${brand}${pick(rnd, INDUSTRY_WORDS[industry]!)}${rnd() < 0.15 ? '股份有限公司' : '有限公司'}`;
    if (!taken.has(name)) {
      taken.add(name);
      return name;
    }
  }
}

const ROADS = ['临平大道', '南苑街', '世纪大道', '东湖北路', '顺风路', '望梅路', '藕花洲大街', '新洲路', '超峰西路', '红丰路', '兴国路', '宏达路'];
export const address = (rnd: () => number) => `杭州市临平区${pick(rnd, ROADS)}${1 + Math.floor(rnd() * 999)}号`;
export const mobile = (rnd: () => number) => `1${pick(rnd, ['3', '5', '7', '8', '9'])}${String(Math.floor(rnd() * 1e9)).padStart(9, '0')}`;
