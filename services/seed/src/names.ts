const SURNAMES = ['王', '李', '张', '刘', '陈', '杨', '黄', '赵', '吴', '周', '徐', '孙', '马', '朱', '胡', '郭', '何', '林', '罗', '高', '唐', '邓', '蒋', '谢'];
const GIVEN = ['明', '华', '建国', '秀英', '志强', '丽', '军', '敏', '静', '伟', '芳', '勇', '娟', '涛', '霞', '平', '刚', '桂兰', '文', '红梅', '海燕', '德明', '玉兰', '国庆'];

import type { Random } from './random.ts';

export const chineseName = (random: Random) => `${random.pick(SURNAMES)}${random.pick(GIVEN)}`;
