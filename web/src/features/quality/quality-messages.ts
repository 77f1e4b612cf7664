import { addMessages, type Translation } from '../../lib/i18n';
import '../cases/reading-feedback-messages';

const zh = {
  title: '图像质量反馈',
  hint: '上级医院诊断医生对每位技师所送图像的评价（带教反馈），最近的评价在前。',
  none: '还没有图像质量评价',
  average: '平均 {{score}} 分（{{count}} 次评价）',
  problems: '问题分布',
  problem: '{{what}} {{count}} 次',
  recent: '最近的评价',
  openCase: '查看病例',
};

const en: Translation<typeof zh> = {
  title: 'Image quality feedback',
  hint: "The city readers' ratings of each technician's images (teaching feedback), newest first.",
  none: 'No image-quality ratings yet',
  average: 'average {{score}} ({{count}} ratings)',
  problems: 'What was wrong',
  problem: '{{what}}: {{count}}',
  recent: 'Latest ratings',
  openCase: 'Open the case',
};

addMessages('quality', { zh, en });
