import { z } from 'zod';
import { defineCall } from '../define';
import { uuidSchema } from '../../schemas/people';
import {
  ActInputSchema,
  AttachInputSchema,
  AttachmentInfoSchema,
  CaseDetailSchema,
  CaseListInputSchema,
  CaseListSchema,
  CreateCaseInputSchema,
  NoticeListInputSchema,
  PreviewSchema,
  PrintOutputSchema,
  SetMaterialsInputSchema,
} from '../../schemas/cases';

/**
 * Case calls. Access is 'signedIn' on purpose: who may take which step is the state machine's decision
 * (shared/domain/caseMachine.ts, by the signed-in staff member's role), so the rule lives in one place.
 */
export const caseCalls = {
  'cases.create': defineCall({
    summary: '为人员（家庭）登记救助申请；已有同类未办结或享受中的案件时须填写原因（NEEDS_REASON）',
    input: CreateCaseInputSchema,
    output: CaseDetailSchema,
    access: 'signedIn',
  }),
  'cases.get': defineCall({
    summary: '案件详情：状态、材料、办理过程、当前可办理的操作（记录查看）',
    input: z.object({ id: uuidSchema }).strict(),
    output: CaseDetailSchema,
    access: 'signedIn',
  }),
  'cases.list': defineCall({
    summary: '案件列表（按状态、事项、是否超期筛选；身份证号遮蔽）',
    input: CaseListInputSchema,
    output: CaseListSchema,
    access: 'signedIn',
  }),
  'cases.act': defineCall({
    summary: '办理案件的一个环节（受理、一次性告知、入户调查、公示、审核……），由状态机校验角色与顺序',
    input: ActInputSchema,
    output: CaseDetailSchema,
    access: 'signedIn',
  }),
  'cases.setMaterials': defineCall({
    summary: '勾选已收到的纸质材料',
    input: SetMaterialsInputSchema,
    output: CaseDetailSchema,
    access: 'signedIn',
  }),
  'materials.attach': defineCall({
    summary: '上传材料扫描件（PDF、JPEG、PNG，不超过 20 MB）并挂到材料清单的一项',
    input: AttachInputSchema,
    output: AttachmentInfoSchema,
    access: 'signedIn',
  }),
  'materials.preview': defineCall({
    summary: '查看材料扫描件（记录查看）',
    input: z.object({ id: uuidSchema }).strict(),
    output: PreviewSchema,
    access: 'signedIn',
  }),
  'print.receipt': defineCall({
    summary: '受理回执（HTML，由界面打印或生成 PDF；记录导出）',
    input: z.object({ caseId: uuidSchema }).strict(),
    output: PrintOutputSchema,
    access: 'signedIn',
  }),
  'print.noticeList': defineCall({
    summary: '公示名单（身份证号遮蔽，不含未成年人；记录导出）',
    input: NoticeListInputSchema,
    output: PrintOutputSchema.extend({ rows: z.number().int(), minorsOmitted: z.number().int() }),
    access: 'signedIn',
  }),
};
