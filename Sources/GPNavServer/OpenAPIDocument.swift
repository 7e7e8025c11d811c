import GPNav
import MobileViT

/// The OpenAPI 3.1 document of the API, served at `/openapi.json`. A test checks that it lists
/// exactly the operations the router serves. The limits it states (ranges, lengths, enums,
/// patterns) are the library's own constants, interpolated, so the document and the checks agree.
enum OpenAPIDocument {
    /// The largest integer the server reads (a 64-bit signed integer).
    private static let maxInteger = Int.max
    /// A name or text on one line without control characters (the study-name rule).
    private static let oneLinePattern = #"^(?=.*\\S)[^\\u0000-\\u001f\\u007f-\\u009f\\u2028\\u2029\\u202a-\\u202e\\u2066-\\u2069]*$"#
    /// `name:max` or `name:min` terms, separated by commas (`gpnav pareto --objectives`).
    private static let objectivesPattern = #"^ *[A-Za-z0-9_.-]+:(max|min) *(, *[A-Za-z0-9_.-]+:(max|min) *)*$"#
    private static let families = ArchitectureFamilies.names.map { "\"\($0)\"" }.joined(separator: ", ")
    private static let bits = Budget.supportedBits.map(String.init).joined(separator: ", ")

    static let json = #"""
{
  "openapi": "3.1.0",
  "info": {
    "title": "gpnav service",
    "version": "1.0.0",
    "description": "Ask/tell API of gpnav: workers ask for the next MobileViTv2 architecture of a study, train it, and report the result. JSON keys are snake_case; MACs and parameter counts are exact integers; accuracy is top-1 in percent. Request bodies are at most \#(ServerLimits.maxBodyBytes) bytes of strict JSON (no key twice in an object, 64 levels at most)."
  },
  "security": [{"bearer": []}],
  "paths": {
    "/healthz": {
      "get": {
        "operationId": "health",
        "summary": "Liveness; needs no token.",
        "security": [],
        "responses": {
          "200": {
            "description": "The server is up.",
            "content": {
              "application/json": {"schema": {"type": "object", "properties": {"status": {"const": "ok"}}, "required": ["status"]}}
            }
          }
        }
      }
    },
    "/openapi.json": {
      "get": {
        "operationId": "openapi",
        "summary": "This document; needs no token.",
        "security": [],
        "responses": {
          "200": {
            "description": "The OpenAPI 3.1 document.",
            "content": {"application/json": {"schema": {"type": "object"}}}
          }
        }
      }
    },
    "/metrics": {
      "get": {
        "operationId": "metrics",
        "summary": "Prometheus text: build info, resident memory, open studies, requests by route and status, asks, tells (each trial's result once), heartbeats, ask latency histogram, GP fit seconds, trials by state, abandoned trials.",
        "responses": {
          "200": {
            "description": "Prometheus text exposition format 0.0.4.",
            "content": {"text/plain": {"schema": {"type": "string"}}}
          },
          "401": {"$ref": "#/components/responses/Error"}
        }
      }
    },
    "/v1/studies": {
      "post": {
        "operationId": "createStudy",
        "summary": "Create a study, or open it when it exists with the same settings.",
        "requestBody": {
          "required": true,
          "content": {"application/json": {"schema": {"$ref": "#/components/schemas/CreateStudy"}}}
        },
        "responses": {
          "201": {
            "description": "Created.",
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Study"}}}
          },
          "200": {
            "description": "It existed with the same settings.",
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Study"}}}
          },
          "400": {"$ref": "#/components/responses/Error"},
          "401": {"$ref": "#/components/responses/Error"},
          "409": {"$ref": "#/components/responses/Error"},
          "413": {"$ref": "#/components/responses/Error"},
          "422": {"$ref": "#/components/responses/Error"}
        }
      },
      "get": {
        "operationId": "listStudies",
        "summary": "All studies with their counts and best trial.",
        "responses": {
          "200": {
            "description": "The studies.",
            "content": {
              "application/json": {
                "schema": {
                  "type": "object",
                  "properties": {"studies": {"type": "array", "items": {"$ref": "#/components/schemas/Study"}}},
                  "required": ["studies"]
                }
              }
            }
          },
          "401": {"$ref": "#/components/responses/Error"}
        }
      }
    },
    "/v1/studies/{name}": {
      "get": {
        "operationId": "getStudy",
        "summary": "One study: settings, counts by state, target and best trial.",
        "parameters": [
          {
            "name": "name",
            "in": "path",
            "required": true,
            "schema": {"type": "string", "minLength": 1},
            "description": "The study's name (percent-encoded in the path)."
          }
        ],
        "responses": {
          "200": {
            "description": "The study.",
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Study"}}}
          },
          "401": {"$ref": "#/components/responses/Error"},
          "404": {"$ref": "#/components/responses/Error"}
        }
      }
    },
    "/v1/studies/{name}/suggestions": {
      "post": {
        "operationId": "suggest",
        "summary": "Claim the next trials for a worker; a worker that asks again gets its own running trials first.",
        "parameters": [
          {
            "name": "name",
            "in": "path",
            "required": true,
            "schema": {"type": "string", "minLength": 1},
            "description": "The study's name (percent-encoded in the path)."
          }
        ],
        "requestBody": {
          "required": false,
          "content": {
            "application/json": {
              "schema": {
                "type": "object",
                "properties": {
                  "worker": {"type": ["string", "null"], "minLength": 1, "maxLength": 200, "pattern": "^[^\\n\\r\\u000b\\u000c\\u0085\\u2028\\u2029]+$", "description": "Who asks, on one line; default anonymous."},
                  "count": {"type": ["integer", "null"], "minimum": 1, "maximum": 64, "default": 1}
                }
              }
            }
          }
        },
        "responses": {
          "200": {
            "description": "Claimed trials; `done` once the study has its complete trials.",
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Suggestion"}}}
          },
          "400": {"$ref": "#/components/responses/Error"},
          "401": {"$ref": "#/components/responses/Error"},
          "404": {"$ref": "#/components/responses/Error"},
          "409": {"$ref": "#/components/responses/Error"},
          "413": {"$ref": "#/components/responses/Error"},
          "422": {"$ref": "#/components/responses/Error"}
        }
      }
    },
    "/v1/studies/{name}/trials/{number}/heartbeat": {
      "post": {
        "operationId": "heartbeat",
        "summary": "The worker is still training this trial.",
        "parameters": [
          {
            "name": "name",
            "in": "path",
            "required": true,
            "schema": {"type": "string", "minLength": 1},
            "description": "The study's name (percent-encoded in the path)."
          },
          {
            "name": "number",
            "in": "path",
            "required": true,
            "schema": {"type": "string", "pattern": "\#(CanonicalInteger.pattern)", "maxLength": 19},
            "description": "The trial's number within the study, in plain decimal (no sign, no leading zero)."
          }
        ],
        "responses": {
          "204": {"description": "Recorded."},
          "400": {"$ref": "#/components/responses/Error"},
          "401": {"$ref": "#/components/responses/Error"},
          "404": {"$ref": "#/components/responses/Error"},
          "409": {"$ref": "#/components/responses/Error"}
        }
      }
    },
    "/v1/studies/{name}/trials/{number}/complete": {
      "post": {
        "operationId": "completeTrial",
        "summary": "Report the trial's result; the same result again is accepted, a different one refused.",
        "parameters": [
          {
            "name": "name",
            "in": "path",
            "required": true,
            "schema": {"type": "string", "minLength": 1},
            "description": "The study's name (percent-encoded in the path)."
          },
          {
            "name": "number",
            "in": "path",
            "required": true,
            "schema": {"type": "string", "pattern": "\#(CanonicalInteger.pattern)", "maxLength": 19},
            "description": "The trial's number within the study, in plain decimal (no sign, no leading zero)."
          }
        ],
        "requestBody": {"required": true, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Result"}}}},
        "responses": {
          "200": {
            "description": "The complete trial.",
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Trial"}}}
          },
          "400": {"$ref": "#/components/responses/Error"},
          "401": {"$ref": "#/components/responses/Error"},
          "404": {"$ref": "#/components/responses/Error"},
          "409": {"$ref": "#/components/responses/Error"},
          "413": {"$ref": "#/components/responses/Error"}
        }
      }
    },
    "/v1/studies/{name}/trials/{number}/fail": {
      "post": {
        "operationId": "failTrial",
        "summary": "Report that the trial failed.",
        "parameters": [
          {
            "name": "name",
            "in": "path",
            "required": true,
            "schema": {"type": "string", "minLength": 1},
            "description": "The study's name (percent-encoded in the path)."
          },
          {
            "name": "number",
            "in": "path",
            "required": true,
            "schema": {"type": "string", "pattern": "\#(CanonicalInteger.pattern)", "maxLength": 19},
            "description": "The trial's number within the study, in plain decimal (no sign, no leading zero)."
          }
        ],
        "requestBody": {
          "required": false,
          "content": {
            "application/json": {
              "schema": {
                "type": "object",
                "properties": {
                  "reason": {"type": ["string", "null"], "maxLength": \#(TrialResultLimits.maxReasonLength)},
                  "output": {"type": ["string", "null"], "maxLength": \#(TrialResultLimits.maxOutputLength)}
                }
              }
            }
          }
        },
        "responses": {
          "200": {
            "description": "The failed trial.",
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Trial"}}}
          },
          "400": {"$ref": "#/components/responses/Error"},
          "401": {"$ref": "#/components/responses/Error"},
          "404": {"$ref": "#/components/responses/Error"},
          "409": {"$ref": "#/components/responses/Error"},
          "413": {"$ref": "#/components/responses/Error"}
        }
      }
    },
    "/v1/studies/{name}/trials": {
      "get": {
        "operationId": "listTrials",
        "summary": "The study's trials, filtered and sorted; `Accept: text/csv` gives the CSV of `gpnav trials`.",
        "parameters": [
          {
            "name": "name",
            "in": "path",
            "required": true,
            "schema": {"type": "string", "minLength": 1},
            "description": "The study's name (percent-encoded in the path)."
          },
          {"name": "state", "in": "query", "schema": {"enum": ["running", "complete", "failed", "pruned"]}},
          {
            "name": "sort",
            "in": "query",
            "schema": {"enum": ["accuracy", "macs", "params", "number"], "default": "number"}
          },
          {"name": "desc", "in": "query", "schema": {"type": "boolean", "default": false}},
          {"name": "limit", "in": "query", "schema": {"type": "string", "pattern": "^[1-9][0-9]{0,17}$"}, "description": "At most this many trials; a positive integer in plain decimal."}
        ],
        "responses": {
          "200": {
            "description": "The trials.",
            "content": {
              "application/json": {
                "schema": {
                  "type": "object",
                  "properties": {"trials": {"type": "array", "items": {"$ref": "#/components/schemas/Trial"}}},
                  "required": ["trials"]
                }
              },
              "text/csv": {"schema": {"type": "string"}}
            }
          },
          "400": {"$ref": "#/components/responses/Error"},
          "401": {"$ref": "#/components/responses/Error"},
          "404": {"$ref": "#/components/responses/Error"}
        }
      }
    },
    "/v1/studies/{name}/pareto": {
      "get": {
        "operationId": "pareto",
        "summary": "The Pareto front of complete trials as the CSV of `gpnav pareto`; JSON with `Accept: application/json`.",
        "parameters": [
          {
            "name": "name",
            "in": "path",
            "required": true,
            "schema": {"type": "string", "minLength": 1},
            "description": "The study's name (percent-encoded in the path)."
          },
          {
            "name": "objectives",
            "in": "query",
            "schema": {"type": "string", "pattern": "\#(objectivesPattern)", "default": "accuracy:max,macs:min"},
            "description": "Objectives, each accuracy, macs, params or a metric the study's trials report, each named once."
          }
        ],
        "responses": {
          "200": {
            "description": "The front.",
            "content": {
              "text/csv": {"schema": {"type": "string"}},
              "application/json": {
                "schema": {
                  "type": "object",
                  "properties": {"trials": {"type": "array", "items": {"$ref": "#/components/schemas/Trial"}}},
                  "required": ["trials"]
                }
              }
            }
          },
          "400": {"$ref": "#/components/responses/Error"},
          "401": {"$ref": "#/components/responses/Error"},
          "404": {"$ref": "#/components/responses/Error"}
        }
      }
    }
  },
  "components": {
    "securitySchemes": {
      "bearer": {
        "type": "http",
        "scheme": "bearer",
        "description": "Needed on every route but /healthz and /openapi.json when the server has a token; the scheme name is case-insensitive."
      }
    },
    "responses": {
      "Error": {
        "description": "The request was refused: `{\"error\": \"one line\"}`.",
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}
      }
    },
    "schemas": {
      "Error": {"type": "object", "properties": {"error": {"type": "string"}}, "required": ["error"]},
      "Budget": {
        "type": "object",
        "description": "Every budget given must hold; at least one of macs, params and memory_bytes is needed, and the space must hold an architecture within it (422 otherwise).",
        "properties": {
          "macs": {"type": "integer", "minimum": 1, "maximum": \#(maxInteger)},
          "params": {"type": "integer", "minimum": 1, "maximum": \#(maxInteger)},
          "memory_bytes": {"type": "integer", "minimum": 1, "maximum": \#(maxInteger)},
          "bits": {"enum": [\#(bits)]}
        },
        "additionalProperties": false
      },
      "Architecture": {
        "type": "object",
        "properties": {
          "resolution": {"type": "integer"},
          "width": {"type": "number"},
          "mv2_depths": {"type": "array", "items": {"type": "integer"}},
          "vit_depths": {"type": "array", "items": {"type": "integer"}},
          "classes": {"type": "integer"},
          "family": {"type": "string", "description": "The architecture family; absent means mobilevitv2. Other families add their own keys."}
        },
        "required": ["resolution", "width", "mv2_depths", "vit_depths"]
      },
      "SearchSpace": {
        "type": "object",
        "properties": {
          "resolutions": {"type": "array", "items": {"type": "integer"}},
          "widths": {"type": "array", "items": {"type": "number"}},
          "mv2_depth_multipliers": {"type": "array", "items": {"type": "number"}},
          "vit_depth_multipliers": {"type": "array", "items": {"type": "number"}},
          "classes": {"type": "integer"},
          "family": {"type": "string", "description": "The architecture family; absent means mobilevitv2. Other families add their own factors' keys."}
        }
      },
      "CreateStudy": {
        "type": "object",
        "required": ["name", "budget", "trials"],
        "additionalProperties": false,
        "properties": {
          "name": {"type": "string", "minLength": 1, "maxLength": \#(StudyName.maximumLength), "pattern": "\#(oneLinePattern)"},
          "budget": {"$ref": "#/components/schemas/Budget"},
          "trials": {"type": "integer", "minimum": \#(StudySettings.targetTrialsRange.lowerBound), "maximum": \#(StudySettings.targetTrialsRange.upperBound), "description": "Complete trials to reach."},
          "seed": {"type": ["integer", "null"], "minimum": 0, "maximum": \#(UInt64.max)},
          "family": {"enum": [\#(families), null], "description": "Architecture family whose default space to search when no space is given; default \#(ArchitectureFamilies.standard.name)."},
          "space": {"oneOf": [{"$ref": "#/components/schemas/SearchSpace"}, {"type": "null"}]},
          "step_factor": {"type": ["number", "null"], "exclusiveMinimum": \#(StudySettings.stepFactorBounds.lower), "exclusiveMaximum": \#(StudySettings.stepFactorBounds.upper), "description": "Factor by which each downsizing step shrinks MACs; default \#(StudySettings.defaultStepFactor)."},
          "joint_factors": {"type": ["boolean", "null"]},
          "start": {"oneOf": [{"$ref": "#/components/schemas/Architecture"}, {"type": "null"}]},
          "evaluator": {"type": ["string", "null"], "maxLength": \#(StudySettings.maxEvaluatorSummaryLength), "description": "The evaluator in words, stored with the study."}
        }
      },
      "Study": {
        "type": "object",
        "properties": {
          "name": {"type": "string"},
          "created_at": {"type": "string"},
          "budget": {"$ref": "#/components/schemas/Budget"},
          "space": {"$ref": "#/components/schemas/SearchSpace"},
          "objectives": {"type": "array", "items": {"type": "string"}},
          "seed": {"type": "integer"},
          "evaluator": {"type": "string"},
          "settings": {"type": "object"},
          "target_trials": {"type": "integer"},
          "complete": {"type": "integer"},
          "running": {"type": "integer"},
          "failed": {"type": "integer"},
          "pruned": {"type": "integer"},
          "best": {"oneOf": [{"$ref": "#/components/schemas/Trial"}, {"type": "null"}]}
        }
      },
      "Trial": {
        "type": "object",
        "description": "A trial as `gpnav trials --format json` writes it.",
        "properties": {
          "number": {"type": "integer"},
          "study": {"type": "string"},
          "state": {"enum": ["running", "complete", "failed", "pruned"]},
          "family": {"type": "string", "description": "The architecture's family, e.g. mobilevitv2."},
          "resolution": {"type": "integer"},
          "width": {"type": "number"},
          "mv2_depths": {"type": "array", "items": {"type": "integer"}},
          "vit_depths": {"type": "array", "items": {"type": "integer"}},
          "classes": {"type": "integer"},
          "macs": {"type": "integer"},
          "params": {"type": "integer"},
          "accuracy": {"type": ["number", "null"]},
          "metrics": {"type": "object", "additionalProperties": {"type": "number"}},
          "proposal": {"type": "string"},
          "step": {"type": ["integer", "null"]},
          "acquisition": {"type": ["number", "null"]},
          "predicted_accuracy": {"type": ["number", "null"]},
          "predicted_std": {"type": ["number", "null"]},
          "started_at": {"type": "string"},
          "finished_at": {"type": ["string", "null"]},
          "heartbeat_at": {"type": ["string", "null"]},
          "error": {"type": ["string", "null"]},
          "evaluator_output": {"type": ["string", "null"]}
        }
      },
      "SuggestedTrial": {
        "type": "object",
        "properties": {
          "number": {"type": "integer"},
          "study": {"type": "string"},
          "architecture": {"$ref": "#/components/schemas/Architecture"},
          "macs": {"type": "integer"},
          "params": {"type": "integer"},
          "proposal": {"type": "string"},
          "phase": {"enum": ["downsizing", "gp", "random"]},
          "config": {"type": "object", "description": "Exactly the JSON a training command receives as {config}."},
          "lease_seconds": {"type": "number", "description": "Send a heartbeat well within this many seconds."}
        },
        "required": ["number", "architecture", "macs", "params", "config", "lease_seconds"]
      },
      "Suggestion": {
        "type": "object",
        "properties": {
          "trials": {"type": "array", "items": {"$ref": "#/components/schemas/SuggestedTrial"}},
          "done": {"type": "boolean"},
          "exhausted": {"type": "boolean"}
        },
        "required": ["trials", "done"]
      },
      "Result": {
        "type": "object",
        "required": ["accuracy"],
        "properties": {
          "accuracy": {"type": "number", "minimum": 0, "maximum": 100, "description": "Top-1 accuracy in percent."},
          "metrics": {
            "type": ["object", "null"],
            "maxProperties": \#(TrialResultLimits.maxMetricCount),
            "propertyNames": {"minLength": 1, "maxLength": \#(TrialResultLimits.maxMetricNameLength), "pattern": "^[^\\u0000-\\u001f\\u007f-\\u009f]+$"},
            "additionalProperties": {"type": "number"},
            "description": "Other finite metrics; a key given twice in the body is refused (400)."
          },
          "output": {"type": ["string", "null"], "maxLength": \#(TrialResultLimits.maxOutputLength), "description": "The tail of the training output."}
        }
      }
    }
  }
}
"""#
}
