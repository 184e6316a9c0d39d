// Text messages through AWS End User Messaging (SMS and voice v2): SendTextMessage, transactional,
// from the origination identity (a phone number, sender id or pool) the account has registered.
import { type PinpointSMSVoiceV2Client, SendTextMessageCommand } from '@aws-sdk/client-pinpoint-sms-voice-v2';
import type { SendText } from '../pagers';

export function endUserMessaging(
  client: PinpointSMSVoiceV2Client,
  settings: () => { originationIdentity: string | undefined; configurationSet: string | undefined },
): SendText {
  return async (to, body) => {
    const { originationIdentity, configurationSet } = settings();
    await client.send(
      new SendTextMessageCommand({
        DestinationPhoneNumber: to,
        MessageBody: body,
        MessageType: 'TRANSACTIONAL',
        ...(originationIdentity ? { OriginationIdentity: originationIdentity } : {}),
        ...(configurationSet ? { ConfigurationSetName: configurationSet } : {}),
      }),
    );
  };
}
