import { useMutation, useQuery } from '@tanstack/react-query';
import {
  IMAGE_QUALITY_CATEGORIES,
  type ImageQualityCategory,
  type ImageQualityInput,
  type ReportTemplate,
} from '@telemed/contracts';
import { App, Button, Checkbox, Form, Input, Radio, Select } from 'antd';
import { useTranslation } from 'react-i18next';
import type { ReportSlotProps } from '../cases/CasePage';
import { useSession } from '../auth/useSession';
import { ApiError, api } from '../../lib/api-client';
import './messages';
import { ReportPanel, type ReportText } from './ReportPanel';
import { SecondOpinionAsk } from './SecondOpinionAsk';

/** The templates for the case's modality and body part (all the modality's when the body part is not known). */
function TemplatePicker({
  modality,
  bodyPart,
  fill,
}: {
  modality: string | null;
  bodyPart: string | null;
  fill: (text: Partial<ReportText>) => void;
}): React.JSX.Element | null {
  const { t } = useTranslation();
  const query = new URLSearchParams();
  if (modality) query.set('modality', modality);
  const templates = useQuery({
    queryKey: ['report-templates', modality],
    queryFn: () => api<ReportTemplate[]>('GET', `/api/report-templates?${query.toString()}`),
    staleTime: 10 * 60_000,
  });
  const list = [...(templates.data ?? [])].sort(
    (a, b) =>
      Number(b.bodyPart === bodyPart) - Number(a.bodyPart === bodyPart) || a.name.localeCompare(b.name),
  );
  if (!list.length) return null;
  return (
    <Form.Item label={t('reporting.template')} htmlFor="report-template">
      <Select
        id="report-template"
        showSearch={{ optionFilterProp: 'label' }}
        placeholder={t('reporting.templatePlaceholder')}
        options={list.map((tpl) => ({ value: tpl.id, label: `${tpl.bodyPart} · ${tpl.name}` }))}
        onChange={(id: string) => {
          const tpl = list.find((x) => x.id === id);
          if (tpl) fill({ findings: tpl.findings, impression: tpl.impression });
        }}
      />
    </Form.Item>
  );
}

/** The reader's image-quality rating, back to the technician who sent the images (带教). */
function QualityForm({ caseId, onChanged }: { caseId: string; onChanged: () => void }): React.JSX.Element {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<{ score: number; categories?: ImageQualityCategory[]; comment?: string }>();
  const rate = useMutation({
    mutationFn: (body: ImageQualityInput) => api('PUT', `/api/cases/${caseId}/image-quality`, body),
    onSuccess: () => {
      void message.success(t('reporting.qualitySaved'));
      onChanged();
    },
    onError: (e) => void message.error(e instanceof ApiError ? e.message : t('errors.network')),
  });
  return (
    <section className="report-quality" aria-labelledby="report-quality-title">
      <h4 id="report-quality-title" className="report-versions-title">
        {t('reporting.quality')}
      </h4>
      <Form
        form={form}
        layout="vertical"
        aria-label={t('reporting.quality')}
        onFinish={(v) => {
          const comment = v.comment?.trim();
          rate.mutate({
            score: v.score,
            ...(v.categories?.length ? { categories: v.categories } : {}),
            ...(comment ? { comment } : {}),
          });
        }}
      >
        <Form.Item
          name="score"
          label={t('reporting.qualityScore')}
          rules={[{ required: true, message: t('reporting.qualityScoreRequired') }]}
        >
          <Radio.Group
            optionType="button"
            options={[1, 2, 3, 4, 5].map((n) => ({
              value: n,
              label: String(n),
              title: t(`reporting.qualityScoreHint.${String(n)}`),
            }))}
          />
        </Form.Item>
        <Form.Item name="categories" label={t('reporting.qualityProblems')}>
          <Checkbox.Group
            options={IMAGE_QUALITY_CATEGORIES.map((k) => ({ value: k, label: t(`reporting.category.${k}`) }))}
          />
        </Form.Item>
        <Form.Item name="comment" label={t('reporting.qualityComment')}>
          <Input.TextArea autoSize={{ minRows: 2, maxRows: 6 }} maxLength={2000} />
        </Form.Item>
        <Button htmlType="submit" loading={rate.isPending}>
          {t('reporting.qualitySubmit')}
        </Button>
      </Form>
    </section>
  );
}

/**
 * The specialist's reading panel on the case page: the report panel with the templates of the case's modality above
 * the text, a colleague's second opinion to ask for, and the image-quality rating once the images are being read.
 */
export function ReadingPanel(props: ReportSlotProps): React.JSX.Element {
  const { c, timeZone, onChanged } = props;
  const user = useSession()?.user;
  const reading =
    ['in_review', 'preliminary', 'final'].includes(c.state) && c.assignedSpecialistId === user?.id;
  return (
    <ReportPanel
      {...props}
      tools={(fill) => <TemplatePicker modality={c.modality} bodyPart={c.bodyPart} fill={fill} />}
      after={
        <>
          <SecondOpinionAsk c={c} timeZone={timeZone} onChanged={onChanged} />
          {reading && <QualityForm caseId={c.id} onChanged={onChanged} />}
        </>
      }
    />
  );
}
