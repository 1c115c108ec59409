import { Injectable } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import type { OrganizationCommand } from '#libs/domain';
import type { RequestContext } from '#libs/http';
import { RunOrganizationCommand, type CommandResult } from './run-organization-command.js';

type CommandType = OrganizationCommand['type'];
type DataOf<T extends CommandType> = Extract<OrganizationCommand, { type: T }>['data'];

/** What the controllers call: builds the command from the request and sends it on the bus. */
@Injectable()
export class OrganizationCommands {
  constructor(private readonly commandBus: CommandBus) {}

  run<T extends CommandType>(
    organizationId: string,
    type: T,
    data: DataOf<T>,
    { actor, now, correlationId }: RequestContext,
  ): Promise<CommandResult> {
    const command = { type, data, metadata: { actor, now } } as OrganizationCommand;
    return this.commandBus.execute(
      new RunOrganizationCommand(organizationId, command, correlationId),
    );
  }
}
