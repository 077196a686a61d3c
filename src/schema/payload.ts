// Shared payload parts: what the user can fix (userErrors) and what they should know (warnings).
import { Field, ObjectType } from "type-graphql";

@ObjectType({ simpleResolvers: true, description: "A problem the caller can fix, with the input field it concerns." })
export class UserError {
  @Field(() => String, { description: "Path of the input field, such as input.postingCard." }) field!: string;
  @Field(() => String) message!: string;
  @Field(() => String) code!: string;
}

@ObjectType({ simpleResolvers: true, description: "Something worth telling the user that did not stop the operation." })
export class Warning {
  @Field(() => String) code!: string;
  @Field(() => String) message!: string;
}
