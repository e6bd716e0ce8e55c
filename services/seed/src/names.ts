import type { Random } from './random.ts';

const SURNAMES = [
  ...'王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高唐邓蒋谢宋郑梁韩冯曹彭曾肖田董袁潘蔡余杜叶程魏苏吕丁任沈姚卢傅钟姜崔谭廖范汪陆金石戴贾韦夏邱方侯邹熊孟秦白江阎薛尹段雷黎史龙陶贺顾毛郝龚邵万钱严覃武',
];
const GIVEN = [...'明华建国秀英志强丽军敏静伟芳勇娟涛霞平刚兰文红梅海燕德玉庆春秋冬雪松林峰云飞俊杰宇鹏晓东兵富贵荣祥瑞福康宁安永长成发才光辉'];

/** A plausible Chinese full name: a common surname and one or two given-name characters. */
export function chineseName(random: Random): string {
  const given = random.next() < 0.7 ? `${random.pick(GIVEN)}${random.pick(GIVEN)}` : random.pick(GIVEN);
  return `${random.pick(SURNAMES)}${given}`;
}

/** Townships and streets of the demo county (安岳-like, but fictional in detail). */
export const TOWNSHIPS = [
  '岳阳镇',
  '石桥铺镇',
  '周礼镇',
  '兴隆镇',
  '李家镇',
  '龙台镇',
  '镇子镇',
  '文化镇',
  '通贤镇',
  '石羊镇',
  '天林镇',
  '朝阳镇',
  '永清镇',
  '元坝镇',
  '千佛镇',
  '双龙街镇',
  '偏岩镇',
  '护龙镇',
  '龙市镇',
  '鸳大镇',
  '姚市镇',
  '长河源镇',
  '卧佛镇',
  '协和镇',
  '忠义镇',
  '合义乡',
  '白塔寺乡',
  '石鼓乡',
  '环城街道',
  '南薰街道',
];

export const AGENCIES = [
  '县发展和改革局',
  '县教育局',
  '县公安局',
  '县民政局',
  '县财政局',
  '县人力资源和社会保障局',
  '县自然资源和规划局',
  '县生态环境局',
  '县住房和城乡建设局',
  '县交通运输局',
  '县水务局',
  '县农业农村局',
  '县卫生健康局',
  '县市场监督管理局',
  '县应急管理局',
];
