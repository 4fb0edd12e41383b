import { z } from 'zod';
import { defineCall } from '../define';
import { IdNumberSchema } from '../../domain/idNumber';
import {
  HouseholdDetailSchema,
  HouseholdInputSchema,
  IncomeCheckSchema,
  PersonDetailSchema,
  PersonInputSchema,
  SearchInputSchema,
  SearchResultSchema,
  StandardSchema,
  uuidSchema,
  HukouSchema,
  IncomeItemSchema,
} from '../../schemas/people';

export const peopleCalls = {
  'people.findByIdNumber': defineCall({
    summary: '按完整身份证号查找人员（登记前先查重）；找到时记录查看',
    input: z.object({ idNumber: IdNumberSchema }).strict(),
    output: PersonDetailSchema.nullable(),
    access: 'signedIn',
  }),
  'people.getPerson': defineCall({
    summary: '人员详情（含完整身份证号，记录查看）',
    input: z.object({ id: uuidSchema }).strict(),
    output: PersonDetailSchema,
    access: 'signedIn',
  }),
  'people.savePerson': defineCall({
    summary: '登记或修改人员',
    input: PersonInputSchema,
    output: PersonDetailSchema,
    access: 'signedIn',
  }),
  'people.getHousehold': defineCall({
    summary: '家庭详情（成员身份证号遮蔽；记录查看）',
    input: z.object({ id: uuidSchema }).strict(),
    output: HouseholdDetailSchema,
    access: 'signedIn',
  }),
  'people.saveHousehold': defineCall({
    summary: '登记或修改家庭（户主、成员、收入、财产）',
    input: HouseholdInputSchema,
    output: HouseholdDetailSchema,
    access: 'signedIn',
  }),
  'people.checkIncome': defineCall({
    summary: '试算家庭人均月收入并与当前标准比较（不保存）',
    input: z
      .object({
        hukou: HukouSchema,
        memberCount: z.number().int().min(1).max(20),
        incomeItems: z.array(IncomeItemSchema).max(50),
      })
      .strict(),
    output: IncomeCheckSchema,
    access: 'signedIn',
  }),
  'people.search': defineCall({
    summary: '按姓名、拼音、首字母、身份证号片段或村（社区）查找人员；结果分页、身份证号遮蔽',
    input: SearchInputSchema,
    output: SearchResultSchema,
    access: 'signedIn',
  }),
  'people.villages': defineCall({
    summary: '村（社区）名称：县级下发的名录（official）在前，再加本站已登记而名录中没有的',
    input: z.object({}).strict(),
    output: z.array(z.object({ village: z.string(), households: z.number().int(), official: z.boolean() })),
    access: 'signedIn',
  }),
  'people.standards': defineCall({
    summary: '保障标准（含生效日期；演示数据会标明）',
    input: z.object({}).strict(),
    output: z.array(StandardSchema),
    access: 'signedIn',
  }),
};
