import { intakeRoutes } from '@huoju/contracts/http';
import { Button, Form, Input, Space } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { call } from '../../api/client';
import { ApiError } from '../../api/problem';
import { useApi } from '../../api/queries';
import type { EnterpriseState } from '../../api/types';
import { DataTable } from '../../components/DataTable';
import { Panel } from '../../components/Panel';
import { ProblemView } from '../../components/ProblemView';
import { formatTime } from '../../components/format';

type Membership = EnterpriseState['memberships'][number];
type StreetSpan = EnterpriseState['streets'][number];

/** Every park membership and street of the enterprise with its dates, and the registry's change log. */
export function RosterHistory({ enterprise }: { enterprise: EnterpriseState }) {
  const { t, i18n } = useTranslation();
  const history = useApi(intakeRoutes.getEnterpriseHistory, { params: { uscc: enterprise.uscc } });
  const until = (validTo: string | null) => validTo ?? t('roster.current');
  return (
    <Panel title={t('roster.history')}>
      <Space orientation="vertical" style={{ width: '100%' }}>
        <DataTable<Membership>
          label={t('roster.memberships')}
          rows={enterprise.memberships}
          rowKey={(m) => `${m.parkCode}-${m.subParkCode}-${m.validFrom}`}
          columns={[
            { key: 'park', title: t('compliance.park'), render: (m) => m.parkCode },
            { key: 'subPark', title: t('compliance.subPark'), render: (m) => m.subParkCode },
            { key: 'carrier', title: t('roster.carrier'), render: (m) => m.carrierCode ?? '—' },
            { key: 'from', title: t('roster.validFrom'), render: (m) => m.validFrom },
            { key: 'to', title: t('roster.validTo'), render: (m) => until(m.validTo) },
          ]}
        />
        <DataTable<StreetSpan>
          label={t('roster.streets')}
          rows={enterprise.streets}
          rowKey={(s) => `${s.streetCode}-${s.validFrom}`}
          columns={[
            { key: 'street', title: t('compliance.street'), render: (s) => s.streetCode },
            { key: 'from', title: t('roster.validFrom'), render: (s) => s.validFrom },
            { key: 'to', title: t('roster.validTo'), render: (s) => until(s.validTo) },
          ]}
        />
        {history.error ? (
          <ProblemView error={history.error} />
        ) : (
          <DataTable
            label={t('roster.changes')}
            rows={[...(history.data ?? [])].reverse()}
            rowKey={(v) => String(v.registryVersion)}
            empty={t('roster.noChanges')}
            columns={[
              { key: 'version', title: t('roster.version'), render: (v) => v.registryVersion },
              { key: 'change', title: t('roster.change'), render: (v) => v.change },
              { key: 'by', title: t('roster.changedBy'), render: (v) => v.changedBy },
              { key: 'at', title: t('roster.changedAt'), render: (v) => formatTime(v.changedAt, i18n.language) },
            ]}
          />
        )}
      </Space>
    </Panel>
  );
}

interface MoveForm {
  parkCode: string;
  subParkCode: string;
  carrierCode?: string;
  validFrom: string;
}

/** Moves the enterprise to another park / sub-park (and carrier), or to another street, from a date. */
export function RosterMove({ enterprise, onMoved }: { enterprise: EnterpriseState; onMoved: () => void }) {
  const { t, i18n } = useTranslation();
  const [park] = Form.useForm<MoveForm>();
  const [street] = Form.useForm<{ streetCode: string; validFrom: string }>();
  const [problem, setProblem] = useState<unknown>();
  const [done, setDone] = useState<string>();
  // Field pointers of a 422 (/subParkCode) land on the form's fields.
  const fail = (form: typeof park | typeof street) => (error: unknown) => {
    setProblem(error);
    if (error instanceof ApiError)
      form.setFields(
        (error.problem.errors ?? []).map((e) => ({
          name: e.pointer.replace(/^\//, '').split('/')[0] as 'validFrom',
          errors: [i18n.language.startsWith('zh') ? e.messageZh : e.messageEn],
        })),
      );
  };
  const succeed = (what: string) => {
    setProblem(undefined);
    setDone(what);
    onMoved();
  };
  return (
    <Panel title={t('roster.move')}>
      <Space orientation="vertical" style={{ width: '100%' }}>
        <Form
          form={park}
          layout="inline"
          aria-label={t('roster.moveToPark')}
          onFinish={(v) =>
            void call(intakeRoutes.moveEnterprise, {
              params: { uscc: enterprise.uscc },
              body: { ...v, carrierCode: v.carrierCode || null },
            }).then(() => succeed(t('roster.movedToPark', { park: v.parkCode, date: v.validFrom })), fail(park))
          }
        >
          <Form.Item label={t('compliance.park')} name="parkCode" htmlFor="move-park" rules={[{ required: true }]}>
            <Input id="move-park" style={{ width: 100 }} />
          </Form.Item>
          <Form.Item
            label={t('compliance.subPark')}
            name="subParkCode"
            htmlFor="move-sub-park"
            rules={[{ required: true }]}
          >
            <Input id="move-sub-park" style={{ width: 140 }} />
          </Form.Item>
          <Form.Item label={t('roster.carrier')} name="carrierCode" htmlFor="move-carrier">
            <Input id="move-carrier" style={{ width: 120 }} />
          </Form.Item>
          <Form.Item label={t('roster.validFrom')} name="validFrom" htmlFor="move-from" rules={[{ required: true }]}>
            <Input id="move-from" type="date" style={{ width: 160 }} />
          </Form.Item>
          <Button htmlType="submit" type="primary">
            {t('roster.moveToPark')}
          </Button>
        </Form>
        <Form
          form={street}
          layout="inline"
          aria-label={t('roster.moveToStreet')}
          onFinish={(v) =>
            void call(intakeRoutes.changeStreet, { params: { uscc: enterprise.uscc }, body: v }).then(
              () => succeed(t('roster.movedToStreet', { street: v.streetCode, date: v.validFrom })),
              fail(street),
            )
          }
        >
          <Form.Item
            label={t('compliance.street')}
            name="streetCode"
            htmlFor="move-street"
            rules={[{ required: true }]}
          >
            <Input id="move-street" style={{ width: 140 }} />
          </Form.Item>
          <Form.Item
            label={t('roster.validFrom')}
            name="validFrom"
            htmlFor="move-street-from"
            rules={[{ required: true }]}
          >
            <Input id="move-street-from" type="date" style={{ width: 160 }} />
          </Form.Item>
          <Button htmlType="submit">{t('roster.moveToStreet')}</Button>
        </Form>
        {done && !problem && (
          <p role="status" className="text-secondary">
            {done}
          </p>
        )}
        {problem !== undefined && <ProblemView error={problem} />}
      </Space>
    </Panel>
  );
}
