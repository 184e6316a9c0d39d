// The whole product in one stack. Its constructs (TicketApi, DeadlineScheduler, InboundMail,
// MonthlyReports) arrive with the issues that build their handlers; until then it deploys
// nothing, and synth proves the toolchain (CDK 2 CLI, cdk-nag validation) works offline.
import { Stack } from 'aws-cdk-lib';

export class SlaDeskStack extends Stack {}
