import type { HospitalKind, Subspecialty } from '@telemed/contracts';

/** A hospital of the demo, with its departments. */
export interface DemoHospital {
  code: string;
  name: string;
  kind: HospitalKind;
  region: string;
  /** IANA zone of the hospital's working day; Beijing time (Asia/Shanghai) when left out. */
  timeZone?: string;
  departments: { code: string; name: string; specialty: string }[];
}

/** A demo person, placed by hospital and department code. */
export interface DemoUser {
  username: string;
  displayName: string;
  hospital: string;
  department: string;
  subspecialties?: Subspecialty[];
  head?: boolean;
}

/**
 * Two city hospitals that diagnose and four county hospitals that examine, in one prefecture; 白沙 keeps Xinjiang
 * time.
 */
export const DEMO_HOSPITALS: DemoHospital[] = [
  {
    code: 'NZ-CENTRAL',
    name: '南州市中心医院',
    kind: 'city',
    region: '南州市',
    departments: [
      { code: 'RAD', name: '放射科', specialty: 'radiology' },
      { code: 'US', name: '超声医学科', specialty: 'ultrasound' },
    ],
  },
  {
    code: 'NZMU-2',
    name: '南州医科大学附属第二医院',
    kind: 'city',
    region: '南州市',
    departments: [
      { code: 'RAD', name: '医学影像科', specialty: 'radiology' },
      { code: 'US', name: '超声科', specialty: 'ultrasound' },
    ],
  },
  ...(
    [
      ['QINGCHUAN', '青川县人民医院', '南州市青川县', 'Asia/Shanghai'],
      ['YUNXI', '云溪县人民医院', '南州市云溪县', 'Asia/Shanghai'],
      ['SHIMEN', '石门县中医医院', '南州市石门县', 'Asia/Shanghai'],
      // keeps Xinjiang time (UTC+6) for its working day, as many county hospitals in Xinjiang do
      ['BAISHA', '白沙县人民医院', '南州市白沙县', 'Asia/Urumqi'],
    ] as const
  ).map(([code, name, region, timeZone]) => ({
    code,
    name,
    kind: 'county' as const,
    region,
    timeZone,
    departments: [
      { code: 'RAD', name: '放射科', specialty: 'radiology' },
      { code: 'US', name: '超声科', specialty: 'ultrasound' },
    ],
  })),
];

/**
 * 科室对科室: each county department's partner in the city, in order of preference. The second city hospital
 * backs up the first, so a case always has somewhere to go.
 */
export const DEMO_PARTNERSHIPS: { county: [string, string]; city: [string, string]; priority: number }[] = [
  { county: ['QINGCHUAN', 'RAD'], city: ['NZ-CENTRAL', 'RAD'], priority: 0 },
  { county: ['QINGCHUAN', 'RAD'], city: ['NZMU-2', 'RAD'], priority: 10 },
  { county: ['YUNXI', 'RAD'], city: ['NZ-CENTRAL', 'RAD'], priority: 0 },
  { county: ['YUNXI', 'RAD'], city: ['NZMU-2', 'RAD'], priority: 10 },
  { county: ['SHIMEN', 'RAD'], city: ['NZMU-2', 'RAD'], priority: 0 },
  { county: ['SHIMEN', 'RAD'], city: ['NZ-CENTRAL', 'RAD'], priority: 10 },
  { county: ['BAISHA', 'RAD'], city: ['NZMU-2', 'RAD'], priority: 0 },
  { county: ['BAISHA', 'RAD'], city: ['NZ-CENTRAL', 'RAD'], priority: 10 },
  { county: ['QINGCHUAN', 'US'], city: ['NZ-CENTRAL', 'US'], priority: 0 },
  { county: ['YUNXI', 'US'], city: ['NZ-CENTRAL', 'US'], priority: 0 },
  { county: ['SHIMEN', 'US'], city: ['NZMU-2', 'US'], priority: 0 },
  { county: ['BAISHA', 'US'], city: ['NZMU-2', 'US'], priority: 0 },
];

/**
 * One technician per county department, and the head of 青川 radiology, who hears of a critical finding nobody in
 * the department acknowledged in time.
 */
export const DEMO_TECHNICIANS: DemoUser[] = [
  { username: 'wangjianguo', displayName: '王建国', hospital: 'QINGCHUAN', department: 'RAD' },
  { username: 'sunjianhua', displayName: '孙建华', hospital: 'QINGCHUAN', department: 'RAD', head: true },
  { username: 'yangxiuying', displayName: '杨秀英', hospital: 'QINGCHUAN', department: 'US' },
  { username: 'zhangwei', displayName: '张伟', hospital: 'YUNXI', department: 'RAD' },
  { username: 'lina', displayName: '李娜', hospital: 'YUNXI', department: 'US' },
  { username: 'liuqiang', displayName: '刘强', hospital: 'SHIMEN', department: 'RAD' },
  { username: 'chenhong', displayName: '陈红', hospital: 'SHIMEN', department: 'US' },
  { username: 'yangfan', displayName: '杨帆', hospital: 'BAISHA', department: 'RAD' },
  { username: 'huangli', displayName: '黄丽', hospital: 'BAISHA', department: 'US' },
];

/** City specialists with the subspecialties routing will match on. */
export const DEMO_SPECIALISTS: DemoUser[] = [
  {
    username: 'zhouguohua',
    displayName: '周国华',
    hospital: 'NZ-CENTRAL',
    department: 'RAD',
    subspecialties: ['neuro', 'general'],
    head: true,
  },
  {
    username: 'liming',
    displayName: '李明',
    hospital: 'NZ-CENTRAL',
    department: 'RAD',
    subspecialties: ['neuro'],
  },
  {
    username: 'chenjing',
    displayName: '陈静',
    hospital: 'NZ-CENTRAL',
    department: 'RAD',
    subspecialties: ['chest'],
  },
  {
    username: 'liuyang',
    displayName: '刘洋',
    hospital: 'NZ-CENTRAL',
    department: 'RAD',
    subspecialties: ['abdomen'],
  },
  {
    username: 'zhaolei',
    displayName: '赵磊',
    hospital: 'NZ-CENTRAL',
    department: 'RAD',
    subspecialties: ['msk'],
  },
  {
    username: 'sunli',
    displayName: '孙丽',
    hospital: 'NZ-CENTRAL',
    department: 'US',
    subspecialties: ['ultrasound'],
    head: true,
  },
  {
    username: 'wufang',
    displayName: '吴芳',
    hospital: 'NZ-CENTRAL',
    department: 'US',
    subspecialties: ['ultrasound', 'cardiac'],
  },
  {
    username: 'xuwen',
    displayName: '许文',
    hospital: 'NZMU-2',
    department: 'RAD',
    subspecialties: ['chest', 'general'],
    head: true,
  },
  {
    username: 'zhengqiang',
    displayName: '郑强',
    hospital: 'NZMU-2',
    department: 'RAD',
    subspecialties: ['cardiac'],
  },
  {
    username: 'huangmin',
    displayName: '黄敏',
    hospital: 'NZMU-2',
    department: 'RAD',
    subspecialties: ['neuro'],
  },
  {
    username: 'hexue',
    displayName: '何雪',
    hospital: 'NZMU-2',
    department: 'RAD',
    subspecialties: ['abdomen'],
  },
  { username: 'machao', displayName: '马超', hospital: 'NZMU-2', department: 'RAD', subspecialties: ['msk'] },
  {
    username: 'gaoyan',
    displayName: '高燕',
    hospital: 'NZMU-2',
    department: 'US',
    subspecialties: ['ultrasound'],
    head: true,
  },
  {
    username: 'luoping',
    displayName: '罗平',
    hospital: 'NZMU-2',
    department: 'US',
    subspecialties: ['ultrasound', 'cardiac'],
  },
];

/**
 * The account the DIMSE gateway of 青川县人民医院 forwards with: a technician of its radiology department, so what
 * its modalities push belongs to that hospital.
 */
export const DEMO_GATEWAY = {
  username: 'qingchuan-gateway',
  displayName: '青川县人民医院影像网关',
  hospital: 'QINGCHUAN',
  department: 'RAD',
};

/** Default routing rules: body part or modality to the subspecialty that reads it (data an admin can change). */
export const DEMO_ROUTING_RULES: {
  name: string;
  priority: number;
  bodyParts?: string[];
  modalities?: string[];
  subspecialty: 'neuro' | 'chest' | 'abdomen' | 'msk' | 'cardiac' | 'ultrasound';
}[] = [
  { name: '超声 → 超声医师', priority: 10, modalities: ['US'], subspecialty: 'ultrasound' },
  { name: '头颈部 → 神经影像', priority: 20, bodyParts: ['HEAD', 'BRAIN', 'NECK'], subspecialty: 'neuro' },
  { name: '胸部 → 胸部影像', priority: 30, bodyParts: ['CHEST', 'LUNG'], subspecialty: 'chest' },
  { name: '心脏 → 心血管影像', priority: 30, bodyParts: ['HEART'], subspecialty: 'cardiac' },
  {
    name: '腹盆部 → 腹部影像',
    priority: 40,
    bodyParts: ['ABDOMEN', 'PELVIS', 'LIVER'],
    subspecialty: 'abdomen',
  },
  {
    name: '脊柱与关节 → 骨肌影像',
    priority: 40,
    bodyParts: ['SPINE', 'CSPINE', 'LSPINE', 'KNEE', 'SHOULDER', 'HIP', 'ANKLE', 'WRIST'],
    subspecialty: 'msk',
  },
];

/** The platform administrator. */
export const DEMO_ADMIN = { username: 'admin', displayName: '系统管理员' };

/** Weeks of roster the seed lays down, from the Monday of the week it runs. */
export const DEMO_ROSTER_WEEKS = 4;
