import { Button, Descriptions, Space, Spin } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link, useParams, useSearchParams } from 'react-router';
import { useFiling, useRevision } from '../../api/queries';
import { ProblemView } from '../../components/ProblemView';
import { StatusTag } from '../../components/StatusTag';
import { formatTime } from '../../components/format';

/** The receipt of one revision: what was received, when, and its content hash — printable. */
export default function ReceiptPage() {
  const { t, i18n } = useTranslation();
  const { id = '' } = useParams();
  const [params] = useSearchParams();
  const filing = useFiling(id);
  const revisionNumber = Number(params.get('revision') ?? filing.data?.currentRevision ?? 0) || undefined;
  const revision = useRevision(id, revisionNumber);
  if (filing.error) return <ProblemView error={filing.error} />;
  if (!filing.data || !revision.data) return <Spin />;
  const data = revision.data;
  return (
    <Space orientation="vertical" size="large" style={{ width: '100%' }}>
      <h2 className="page-title">{t('receipt.title')}</h2>
      <Descriptions bordered column={1} size="middle">
        <Descriptions.Item label={t('receipt.enterprise')}>{filing.data.uscc}</Descriptions.Item>
        <Descriptions.Item label={t('common.form')}>{t(`form.${filing.data.formId}`)}</Descriptions.Item>
        <Descriptions.Item label={t('common.period')}>{filing.data.period}</Descriptions.Item>
        <Descriptions.Item label={t('filing.revision')}>{data.revision}</Descriptions.Item>
        <Descriptions.Item label={t('receipt.receivedAt')}>
          {formatTime(data.receivedAt, i18n.language)}
        </Descriptions.Item>
        <Descriptions.Item label={t('receipt.sha256')}>
          <code style={{ wordBreak: 'break-all' }}>{data.contentSha256}</code>
        </Descriptions.Item>
        <Descriptions.Item label={t('common.status')}>
          <span aria-live="polite">
            <StatusTag status={filing.data.currentRevision === data.revision ? filing.data.status : data.status} />
          </span>
        </Descriptions.Item>
        <Descriptions.Item label={t('receipt.filingId')}>{filing.data.id}</Descriptions.Item>
      </Descriptions>
      <Space className="no-print">
        <Button type="primary" onClick={() => window.print()}>
          {t('receipt.print')}
        </Button>
        <Link to={`/filings/${id}`}>{t('receipt.toFiling')}</Link>
      </Space>
    </Space>
  );
}
